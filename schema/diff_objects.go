package schema

import (
	"cmp"
	"slices"
	"strings"
)

// This file compares views, triggers and routines. None of them can be altered in place in a way
// that covers every attribute, so a different one is dropped (step 2 of the script) and created
// again (step 8).

// diffViews compares views by name. Definitions are compared with each side's own database
// qualifier removed; definers are not compared.
func (d *differ) diffViews() {
	fromBy, toBy := byLowerName(d.from.Views, func(v *View) string { return v.Name }),
		byLowerName(d.to.Views, func(v *View) string { return v.Name })
	d.script.viewDB = d.to.Name
	for _, n := range unionKeys(fromBy, toBy) {
		fv, tv := fromBy[n], toBy[n]
		var from, to string
		if fv != nil {
			from = createView(fv, d.from.Name)
		}
		if tv != nil {
			to = createView(tv, d.to.Name)
		}
		drop := ""
		if fv != nil {
			drop = "DROP VIEW " + quoteIdent(fv.Name)
		}
		switch {
		case fv == nil:
			d.script.views = append(d.script.views, tv)
			d.add(Change{Kind: KindView, Change: Missing, Name: tv.Name, To: to, Fix: []string{to}})
		case tv == nil:
			d.script.objDrops = append(d.script.objDrops, drop)
			d.add(Change{Kind: KindView, Change: Extra, Name: fv.Name, From: from, Fix: []string{drop}})
		case from != to:
			// createView writes every compared attribute, without qualifier and definer, so
			// equal statements are equal views.
			d.script.objDrops = append(d.script.objDrops, drop)
			d.script.views = append(d.script.views, tv)
			d.add(Change{Kind: KindView, Change: Different, Name: tv.Name, From: from, To: to, Fix: []string{drop, to}})
		}
	}
}

// diffRoutines compares procedures and functions by type and name; bodies are compared with
// whitespace collapsed.
func (d *differ) diffRoutines() {
	key := func(r *Routine) string { return routineType(r) + " " + r.Name }
	fromBy, toBy := byLowerName(d.from.Routines, key), byLowerName(d.to.Routines, key)
	for _, n := range unionKeys(fromBy, toBy) {
		fr, tr := fromBy[n], toBy[n]
		var from, to, drop string
		if fr != nil {
			from = d.from.CreateRoutine(fr)
			drop = "DROP " + routineType(fr) + " " + quoteIdent(fr.Name)
		}
		if tr != nil {
			to = d.to.CreateRoutine(tr)
		}
		switch {
		case fr == nil:
			d.script.routines = append(d.script.routines, to)
			d.add(Change{Kind: KindRoutine, Change: Missing, Name: tr.Name, To: to, Fix: []string{to}})
		case tr == nil:
			d.script.objDrops = append(d.script.objDrops, drop)
			d.add(Change{Kind: KindRoutine, Change: Extra, Name: fr.Name, From: from, Fix: []string{drop}})
		case !sameRoutine(fr, tr):
			d.script.objDrops = append(d.script.objDrops, drop)
			d.script.routines = append(d.script.routines, to)
			d.add(Change{Kind: KindRoutine, Change: Different, Name: tr.Name, From: from, To: to, Fix: []string{drop, to}})
		}
	}
}

func sameRoutine(a, b *Routine) bool {
	return normalizeIntWidths(a.Params) == normalizeIntWidths(b.Params) &&
		normalizeIntWidths(a.Returns) == normalizeIntWidths(b.Returns) && a.Deterministic == b.Deterministic &&
		strings.EqualFold(a.DataAccess, b.DataAccess) && strings.EqualFold(a.Security, b.Security) &&
		a.Comment == b.Comment && collapseSpace(a.Body) == collapseSpace(b.Body)
}

// diffTriggers compares triggers by name, and their order of execution within each table,
// timing and event. A trigger whose definition is unchanged keeps its place if it is part of
// the longest run of such triggers whose order is the same in both states; any other trigger
// of the group is dropped and created again, with FOLLOWS or PRECEDES putting it in its place
// (a trigger whose only difference is its place is a Different change).
func (d *differ) diffTriggers() {
	fromBy := byLowerName(d.from.Triggers, func(t *Trigger) string { return t.Name })
	toBy := byLowerName(d.to.Triggers, func(t *Trigger) string { return t.Name })
	fromGroups, toGroups := groupTriggers(d.from.Triggers), groupTriggers(d.to.Triggers)
	sameDef := func(a, b *Trigger) bool {
		return groupOf(a) == groupOf(b) && collapseSpace(a.Statement) == collapseSpace(b.Statement)
	}

	stays := map[*Trigger]bool{}
	creates := map[*Trigger]string{}
	for _, g := range sortedGroups(toGroups) {
		list := toGroups[g]
		fromPos := map[*Trigger]int{}
		for i, ft := range fromGroups[g] {
			fromPos[ft] = i
		}
		var seq, seqTo []int
		for j, tt := range list {
			if ft := fromBy[strings.ToLower(tt.Name)]; ft != nil && sameDef(ft, tt) {
				seq = append(seq, fromPos[ft])
				seqTo = append(seqTo, j)
			}
		}
		var firstStay *Trigger
		for _, k := range longestIncreasing(seq) {
			stays[list[seqTo[k]]] = true
			if firstStay == nil {
				firstStay = list[seqTo[k]]
			}
		}
		for j, tt := range list {
			if stays[tt] {
				continue
			}
			// Created in `to` order: the previous trigger is in place by then; the first one
			// goes before the first trigger that stays.
			order := ""
			switch {
			case j > 0:
				order = "FOLLOWS " + quoteIdent(list[j-1].Name)
			case firstStay != nil:
				order = "PRECEDES " + quoteIdent(firstStay.Name)
			}
			creates[tt] = createTrigger(tt, order)
			d.script.triggers = append(d.script.triggers, creates[tt])
		}
	}

	for _, n := range unionKeys(fromBy, toBy) {
		ft, tt := fromBy[n], toBy[n]
		var drop string
		if ft != nil {
			drop = "DROP TRIGGER " + quoteIdent(ft.Name)
		}
		switch {
		case ft == nil:
			d.add(Change{Kind: KindTrigger, Change: Missing, Table: tt.Table, Name: tt.Name,
				To: placedTrigger(tt, toGroups), Fix: []string{creates[tt]}})
		case tt == nil:
			d.script.objDrops = append(d.script.objDrops, drop)
			d.add(Change{Kind: KindTrigger, Change: Extra, Table: ft.Table, Name: ft.Name,
				From: placedTrigger(ft, fromGroups), Fix: []string{drop}})
		case !stays[tt]:
			d.script.objDrops = append(d.script.objDrops, drop)
			d.add(Change{Kind: KindTrigger, Change: Different, Table: tt.Table, Name: tt.Name,
				From: placedTrigger(ft, fromGroups), To: placedTrigger(tt, toGroups), Fix: []string{drop, creates[tt]}})
		}
	}
}

// placedTrigger writes a trigger for a Change, with FOLLOWS naming the trigger before it in its
// state, so that a change of place shows.
func placedTrigger(tr *Trigger, groups map[triggerGroup][]*Trigger) string {
	list := groups[groupOf(tr)]
	if i := slices.Index(list, tr); i > 0 {
		return createTrigger(tr, "FOLLOWS "+quoteIdent(list[i-1].Name))
	}
	return createTrigger(tr, "")
}

// groupTriggers groups triggers by table, timing and event, each group in execution order.
func groupTriggers(triggers []*Trigger) map[triggerGroup][]*Trigger {
	groups := map[triggerGroup][]*Trigger{}
	for _, tr := range triggersInOrder(triggers) {
		groups[groupOf(tr)] = append(groups[groupOf(tr)], tr)
	}
	return groups
}

func sortedGroups(groups map[triggerGroup][]*Trigger) []triggerGroup {
	keys := make([]triggerGroup, 0, len(groups))
	for g := range groups {
		keys = append(keys, g)
	}
	slices.SortFunc(keys, func(a, b triggerGroup) int {
		return cmp.Or(cmp.Compare(a.table, b.table), cmp.Compare(a.timing, b.timing), cmp.Compare(a.event, b.event))
	})
	return keys
}

// byLowerName indexes a list by lower-case key; the first of duplicates wins.
func byLowerName[T any](xs []*T, key func(*T) string) map[string]*T {
	m := make(map[string]*T, len(xs))
	for _, x := range xs {
		k := strings.ToLower(key(x))
		if _, dup := m[k]; !dup {
			m[k] = x
		}
	}
	return m
}
