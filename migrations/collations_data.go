package migrations

// The character sets and collations the TiDB parser lacks (collations.go).

// extraCollations maps a character set to its collations, separated by spaces. Under "" are
// MariaDB 11's short uca1400 names ("uca1400_ai_ci"), which apply to every Unicode character set;
// the parser files them under utf8mb4.
var extraCollations = map[string]string{
	"": "uca1400_ai_ci uca1400_ai_cs uca1400_as_ci uca1400_as_cs uca1400_croatian_ai_ci " +
		"uca1400_croatian_ai_cs uca1400_croatian_as_ci uca1400_croatian_as_cs " +
		"uca1400_croatian_nopad_ai_ci uca1400_croatian_nopad_ai_cs uca1400_croatian_nopad_as_ci " +
		"uca1400_croatian_nopad_as_cs uca1400_czech_ai_ci uca1400_czech_ai_cs uca1400_czech_as_ci " +
		"uca1400_czech_as_cs uca1400_czech_nopad_ai_ci uca1400_czech_nopad_ai_cs " +
		"uca1400_czech_nopad_as_ci uca1400_czech_nopad_as_cs uca1400_danish_ai_ci " +
		"uca1400_danish_ai_cs uca1400_danish_as_ci uca1400_danish_as_cs uca1400_danish_nopad_ai_ci " +
		"uca1400_danish_nopad_ai_cs uca1400_danish_nopad_as_ci uca1400_danish_nopad_as_cs " +
		"uca1400_esperanto_ai_ci uca1400_esperanto_ai_cs uca1400_esperanto_as_ci " +
		"uca1400_esperanto_as_cs uca1400_esperanto_nopad_ai_ci uca1400_esperanto_nopad_ai_cs " +
		"uca1400_esperanto_nopad_as_ci uca1400_esperanto_nopad_as_cs uca1400_estonian_ai_ci " +
		"uca1400_estonian_ai_cs uca1400_estonian_as_ci uca1400_estonian_as_cs " +
		"uca1400_estonian_nopad_ai_ci uca1400_estonian_nopad_ai_cs uca1400_estonian_nopad_as_ci " +
		"uca1400_estonian_nopad_as_cs uca1400_german2_ai_ci uca1400_german2_ai_cs " +
		"uca1400_german2_as_ci uca1400_german2_as_cs uca1400_german2_nopad_ai_ci " +
		"uca1400_german2_nopad_ai_cs uca1400_german2_nopad_as_ci uca1400_german2_nopad_as_cs " +
		"uca1400_hungarian_ai_ci uca1400_hungarian_ai_cs uca1400_hungarian_as_ci " +
		"uca1400_hungarian_as_cs uca1400_hungarian_nopad_ai_ci uca1400_hungarian_nopad_ai_cs " +
		"uca1400_hungarian_nopad_as_ci uca1400_hungarian_nopad_as_cs uca1400_icelandic_ai_ci " +
		"uca1400_icelandic_ai_cs uca1400_icelandic_as_ci uca1400_icelandic_as_cs " +
		"uca1400_icelandic_nopad_ai_ci uca1400_icelandic_nopad_ai_cs uca1400_icelandic_nopad_as_ci " +
		"uca1400_icelandic_nopad_as_cs uca1400_latvian_ai_ci uca1400_latvian_ai_cs " +
		"uca1400_latvian_as_ci uca1400_latvian_as_cs uca1400_latvian_nopad_ai_ci " +
		"uca1400_latvian_nopad_ai_cs uca1400_latvian_nopad_as_ci uca1400_latvian_nopad_as_cs " +
		"uca1400_lithuanian_ai_ci uca1400_lithuanian_ai_cs uca1400_lithuanian_as_ci " +
		"uca1400_lithuanian_as_cs uca1400_lithuanian_nopad_ai_ci uca1400_lithuanian_nopad_ai_cs " +
		"uca1400_lithuanian_nopad_as_ci uca1400_lithuanian_nopad_as_cs uca1400_nopad_ai_ci " +
		"uca1400_nopad_ai_cs uca1400_nopad_as_ci uca1400_nopad_as_cs uca1400_persian_ai_ci " +
		"uca1400_persian_ai_cs uca1400_persian_as_ci uca1400_persian_as_cs " +
		"uca1400_persian_nopad_ai_ci uca1400_persian_nopad_ai_cs uca1400_persian_nopad_as_ci " +
		"uca1400_persian_nopad_as_cs uca1400_polish_ai_ci uca1400_polish_ai_cs uca1400_polish_as_ci " +
		"uca1400_polish_as_cs uca1400_polish_nopad_ai_ci uca1400_polish_nopad_ai_cs " +
		"uca1400_polish_nopad_as_ci uca1400_polish_nopad_as_cs uca1400_roman_ai_ci " +
		"uca1400_roman_ai_cs uca1400_roman_as_ci uca1400_roman_as_cs uca1400_roman_nopad_ai_ci " +
		"uca1400_roman_nopad_ai_cs uca1400_roman_nopad_as_ci uca1400_roman_nopad_as_cs " +
		"uca1400_romanian_ai_ci uca1400_romanian_ai_cs uca1400_romanian_as_ci " +
		"uca1400_romanian_as_cs uca1400_romanian_nopad_ai_ci uca1400_romanian_nopad_ai_cs " +
		"uca1400_romanian_nopad_as_ci uca1400_romanian_nopad_as_cs uca1400_sinhala_ai_ci " +
		"uca1400_sinhala_ai_cs uca1400_sinhala_as_ci uca1400_sinhala_as_cs " +
		"uca1400_sinhala_nopad_ai_ci uca1400_sinhala_nopad_ai_cs uca1400_sinhala_nopad_as_ci " +
		"uca1400_sinhala_nopad_as_cs uca1400_slovak_ai_ci uca1400_slovak_ai_cs uca1400_slovak_as_ci " +
		"uca1400_slovak_as_cs uca1400_slovak_nopad_ai_ci uca1400_slovak_nopad_ai_cs " +
		"uca1400_slovak_nopad_as_ci uca1400_slovak_nopad_as_cs uca1400_slovenian_ai_ci " +
		"uca1400_slovenian_ai_cs uca1400_slovenian_as_ci uca1400_slovenian_as_cs " +
		"uca1400_slovenian_nopad_ai_ci uca1400_slovenian_nopad_ai_cs uca1400_slovenian_nopad_as_ci " +
		"uca1400_slovenian_nopad_as_cs uca1400_spanish2_ai_ci uca1400_spanish2_ai_cs " +
		"uca1400_spanish2_as_ci uca1400_spanish2_as_cs uca1400_spanish2_nopad_ai_ci " +
		"uca1400_spanish2_nopad_ai_cs uca1400_spanish2_nopad_as_ci uca1400_spanish2_nopad_as_cs " +
		"uca1400_spanish_ai_ci uca1400_spanish_ai_cs uca1400_spanish_as_ci uca1400_spanish_as_cs " +
		"uca1400_spanish_nopad_ai_ci uca1400_spanish_nopad_ai_cs uca1400_spanish_nopad_as_ci " +
		"uca1400_spanish_nopad_as_cs uca1400_swedish_ai_ci uca1400_swedish_ai_cs " +
		"uca1400_swedish_as_ci uca1400_swedish_as_cs uca1400_swedish_nopad_ai_ci " +
		"uca1400_swedish_nopad_ai_cs uca1400_swedish_nopad_as_ci uca1400_swedish_nopad_as_cs " +
		"uca1400_turkish_ai_ci uca1400_turkish_ai_cs uca1400_turkish_as_ci uca1400_turkish_as_cs " +
		"uca1400_turkish_nopad_ai_ci uca1400_turkish_nopad_ai_cs uca1400_turkish_nopad_as_ci " +
		"uca1400_turkish_nopad_as_cs uca1400_vietnamese_ai_ci uca1400_vietnamese_ai_cs " +
		"uca1400_vietnamese_as_ci uca1400_vietnamese_as_cs uca1400_vietnamese_nopad_ai_ci " +
		"uca1400_vietnamese_nopad_ai_cs uca1400_vietnamese_nopad_as_ci " +
		"uca1400_vietnamese_nopad_as_cs",
	"armscii8": "armscii8_general_nopad_ci armscii8_nopad_bin",
	"ascii":    "ascii_general_nopad_ci ascii_nopad_bin",
	"big5":     "big5_chinese_nopad_ci big5_nopad_bin",
	"cp1250":   "cp1250_general_nopad_ci cp1250_nopad_bin",
	"cp1251":   "cp1251_general_nopad_ci cp1251_nopad_bin",
	"cp1256":   "cp1256_general_nopad_ci cp1256_nopad_bin",
	"cp1257":   "cp1257_general_nopad_ci cp1257_nopad_bin",
	"cp850":    "cp850_general_nopad_ci cp850_nopad_bin",
	"cp852":    "cp852_general_nopad_ci cp852_nopad_bin",
	"cp866":    "cp866_general_nopad_ci cp866_nopad_bin",
	"cp932":    "cp932_japanese_nopad_ci cp932_nopad_bin",
	"dec8":     "dec8_nopad_bin dec8_swedish_nopad_ci",
	"eucjpms":  "eucjpms_japanese_nopad_ci eucjpms_nopad_bin",
	"euckr":    "euckr_korean_nopad_ci euckr_nopad_bin",
	"gb2312":   "gb2312_chinese_nopad_ci gb2312_nopad_bin",
	"gbk":      "gbk_chinese_nopad_ci gbk_nopad_bin",
	"geostd8":  "geostd8_general_nopad_ci geostd8_nopad_bin",
	"greek":    "greek_general_nopad_ci greek_nopad_bin",
	"hebrew":   "hebrew_general_nopad_ci hebrew_nopad_bin",
	"hp8":      "hp8_english_nopad_ci hp8_nopad_bin",
	"keybcs2":  "keybcs2_general_nopad_ci keybcs2_nopad_bin",
	"koi8r":    "koi8r_general_nopad_ci koi8r_nopad_bin",
	"koi8u":    "koi8u_general_nopad_ci koi8u_nopad_bin",
	"latin1":   "latin1_nopad_bin latin1_swedish_nopad_ci",
	"latin2":   "latin2_general_nopad_ci latin2_nopad_bin",
	"latin5":   "latin5_nopad_bin latin5_turkish_nopad_ci",
	"latin7":   "latin7_general_nopad_ci latin7_nopad_bin",
	"macce":    "macce_general_nopad_ci macce_nopad_bin",
	"macroman": "macroman_general_nopad_ci macroman_nopad_bin",
	"sjis":     "sjis_japanese_nopad_ci sjis_nopad_bin",
	"swe7":     "swe7_nopad_bin swe7_swedish_nopad_ci",
	"tis620":   "tis620_nopad_bin tis620_thai_nopad_ci",
	"ucs2": "ucs2_croatian_mysql561_ci ucs2_general_nopad_ci ucs2_myanmar_ci ucs2_nopad_bin " +
		"ucs2_thai_520_w2 ucs2_uca1400_ai_ci ucs2_uca1400_ai_cs ucs2_uca1400_as_ci " +
		"ucs2_uca1400_as_cs ucs2_uca1400_croatian_ai_ci ucs2_uca1400_croatian_ai_cs " +
		"ucs2_uca1400_croatian_as_ci ucs2_uca1400_croatian_as_cs ucs2_uca1400_croatian_nopad_ai_ci " +
		"ucs2_uca1400_croatian_nopad_ai_cs ucs2_uca1400_croatian_nopad_as_ci " +
		"ucs2_uca1400_croatian_nopad_as_cs ucs2_uca1400_czech_ai_ci ucs2_uca1400_czech_ai_cs " +
		"ucs2_uca1400_czech_as_ci ucs2_uca1400_czech_as_cs ucs2_uca1400_czech_nopad_ai_ci " +
		"ucs2_uca1400_czech_nopad_ai_cs ucs2_uca1400_czech_nopad_as_ci " +
		"ucs2_uca1400_czech_nopad_as_cs ucs2_uca1400_danish_ai_ci ucs2_uca1400_danish_ai_cs " +
		"ucs2_uca1400_danish_as_ci ucs2_uca1400_danish_as_cs ucs2_uca1400_danish_nopad_ai_ci " +
		"ucs2_uca1400_danish_nopad_ai_cs ucs2_uca1400_danish_nopad_as_ci " +
		"ucs2_uca1400_danish_nopad_as_cs ucs2_uca1400_esperanto_ai_ci ucs2_uca1400_esperanto_ai_cs " +
		"ucs2_uca1400_esperanto_as_ci ucs2_uca1400_esperanto_as_cs " +
		"ucs2_uca1400_esperanto_nopad_ai_ci ucs2_uca1400_esperanto_nopad_ai_cs " +
		"ucs2_uca1400_esperanto_nopad_as_ci ucs2_uca1400_esperanto_nopad_as_cs " +
		"ucs2_uca1400_estonian_ai_ci ucs2_uca1400_estonian_ai_cs ucs2_uca1400_estonian_as_ci " +
		"ucs2_uca1400_estonian_as_cs ucs2_uca1400_estonian_nopad_ai_ci " +
		"ucs2_uca1400_estonian_nopad_ai_cs ucs2_uca1400_estonian_nopad_as_ci " +
		"ucs2_uca1400_estonian_nopad_as_cs ucs2_uca1400_german2_ai_ci ucs2_uca1400_german2_ai_cs " +
		"ucs2_uca1400_german2_as_ci ucs2_uca1400_german2_as_cs ucs2_uca1400_german2_nopad_ai_ci " +
		"ucs2_uca1400_german2_nopad_ai_cs ucs2_uca1400_german2_nopad_as_ci " +
		"ucs2_uca1400_german2_nopad_as_cs ucs2_uca1400_hungarian_ai_ci ucs2_uca1400_hungarian_ai_cs " +
		"ucs2_uca1400_hungarian_as_ci ucs2_uca1400_hungarian_as_cs " +
		"ucs2_uca1400_hungarian_nopad_ai_ci ucs2_uca1400_hungarian_nopad_ai_cs " +
		"ucs2_uca1400_hungarian_nopad_as_ci ucs2_uca1400_hungarian_nopad_as_cs " +
		"ucs2_uca1400_icelandic_ai_ci ucs2_uca1400_icelandic_ai_cs ucs2_uca1400_icelandic_as_ci " +
		"ucs2_uca1400_icelandic_as_cs ucs2_uca1400_icelandic_nopad_ai_ci " +
		"ucs2_uca1400_icelandic_nopad_ai_cs ucs2_uca1400_icelandic_nopad_as_ci " +
		"ucs2_uca1400_icelandic_nopad_as_cs ucs2_uca1400_latvian_ai_ci ucs2_uca1400_latvian_ai_cs " +
		"ucs2_uca1400_latvian_as_ci ucs2_uca1400_latvian_as_cs ucs2_uca1400_latvian_nopad_ai_ci " +
		"ucs2_uca1400_latvian_nopad_ai_cs ucs2_uca1400_latvian_nopad_as_ci " +
		"ucs2_uca1400_latvian_nopad_as_cs ucs2_uca1400_lithuanian_ai_ci " +
		"ucs2_uca1400_lithuanian_ai_cs ucs2_uca1400_lithuanian_as_ci ucs2_uca1400_lithuanian_as_cs " +
		"ucs2_uca1400_lithuanian_nopad_ai_ci ucs2_uca1400_lithuanian_nopad_ai_cs " +
		"ucs2_uca1400_lithuanian_nopad_as_ci ucs2_uca1400_lithuanian_nopad_as_cs " +
		"ucs2_uca1400_nopad_ai_ci ucs2_uca1400_nopad_ai_cs ucs2_uca1400_nopad_as_ci " +
		"ucs2_uca1400_nopad_as_cs ucs2_uca1400_persian_ai_ci ucs2_uca1400_persian_ai_cs " +
		"ucs2_uca1400_persian_as_ci ucs2_uca1400_persian_as_cs ucs2_uca1400_persian_nopad_ai_ci " +
		"ucs2_uca1400_persian_nopad_ai_cs ucs2_uca1400_persian_nopad_as_ci " +
		"ucs2_uca1400_persian_nopad_as_cs ucs2_uca1400_polish_ai_ci ucs2_uca1400_polish_ai_cs " +
		"ucs2_uca1400_polish_as_ci ucs2_uca1400_polish_as_cs ucs2_uca1400_polish_nopad_ai_ci " +
		"ucs2_uca1400_polish_nopad_ai_cs ucs2_uca1400_polish_nopad_as_ci " +
		"ucs2_uca1400_polish_nopad_as_cs ucs2_uca1400_roman_ai_ci ucs2_uca1400_roman_ai_cs " +
		"ucs2_uca1400_roman_as_ci ucs2_uca1400_roman_as_cs ucs2_uca1400_roman_nopad_ai_ci " +
		"ucs2_uca1400_roman_nopad_ai_cs ucs2_uca1400_roman_nopad_as_ci " +
		"ucs2_uca1400_roman_nopad_as_cs ucs2_uca1400_romanian_ai_ci ucs2_uca1400_romanian_ai_cs " +
		"ucs2_uca1400_romanian_as_ci ucs2_uca1400_romanian_as_cs ucs2_uca1400_romanian_nopad_ai_ci " +
		"ucs2_uca1400_romanian_nopad_ai_cs ucs2_uca1400_romanian_nopad_as_ci " +
		"ucs2_uca1400_romanian_nopad_as_cs ucs2_uca1400_sinhala_ai_ci ucs2_uca1400_sinhala_ai_cs " +
		"ucs2_uca1400_sinhala_as_ci ucs2_uca1400_sinhala_as_cs ucs2_uca1400_sinhala_nopad_ai_ci " +
		"ucs2_uca1400_sinhala_nopad_ai_cs ucs2_uca1400_sinhala_nopad_as_ci " +
		"ucs2_uca1400_sinhala_nopad_as_cs ucs2_uca1400_slovak_ai_ci ucs2_uca1400_slovak_ai_cs " +
		"ucs2_uca1400_slovak_as_ci ucs2_uca1400_slovak_as_cs ucs2_uca1400_slovak_nopad_ai_ci " +
		"ucs2_uca1400_slovak_nopad_ai_cs ucs2_uca1400_slovak_nopad_as_ci " +
		"ucs2_uca1400_slovak_nopad_as_cs ucs2_uca1400_slovenian_ai_ci ucs2_uca1400_slovenian_ai_cs " +
		"ucs2_uca1400_slovenian_as_ci ucs2_uca1400_slovenian_as_cs " +
		"ucs2_uca1400_slovenian_nopad_ai_ci ucs2_uca1400_slovenian_nopad_ai_cs " +
		"ucs2_uca1400_slovenian_nopad_as_ci ucs2_uca1400_slovenian_nopad_as_cs " +
		"ucs2_uca1400_spanish2_ai_ci ucs2_uca1400_spanish2_ai_cs ucs2_uca1400_spanish2_as_ci " +
		"ucs2_uca1400_spanish2_as_cs ucs2_uca1400_spanish2_nopad_ai_ci " +
		"ucs2_uca1400_spanish2_nopad_ai_cs ucs2_uca1400_spanish2_nopad_as_ci " +
		"ucs2_uca1400_spanish2_nopad_as_cs ucs2_uca1400_spanish_ai_ci ucs2_uca1400_spanish_ai_cs " +
		"ucs2_uca1400_spanish_as_ci ucs2_uca1400_spanish_as_cs ucs2_uca1400_spanish_nopad_ai_ci " +
		"ucs2_uca1400_spanish_nopad_ai_cs ucs2_uca1400_spanish_nopad_as_ci " +
		"ucs2_uca1400_spanish_nopad_as_cs ucs2_uca1400_swedish_ai_ci ucs2_uca1400_swedish_ai_cs " +
		"ucs2_uca1400_swedish_as_ci ucs2_uca1400_swedish_as_cs ucs2_uca1400_swedish_nopad_ai_ci " +
		"ucs2_uca1400_swedish_nopad_ai_cs ucs2_uca1400_swedish_nopad_as_ci " +
		"ucs2_uca1400_swedish_nopad_as_cs ucs2_uca1400_turkish_ai_ci ucs2_uca1400_turkish_ai_cs " +
		"ucs2_uca1400_turkish_as_ci ucs2_uca1400_turkish_as_cs ucs2_uca1400_turkish_nopad_ai_ci " +
		"ucs2_uca1400_turkish_nopad_ai_cs ucs2_uca1400_turkish_nopad_as_ci " +
		"ucs2_uca1400_turkish_nopad_as_cs ucs2_uca1400_vietnamese_ai_ci " +
		"ucs2_uca1400_vietnamese_ai_cs ucs2_uca1400_vietnamese_as_ci ucs2_uca1400_vietnamese_as_cs " +
		"ucs2_uca1400_vietnamese_nopad_ai_ci ucs2_uca1400_vietnamese_nopad_ai_cs " +
		"ucs2_uca1400_vietnamese_nopad_as_ci ucs2_uca1400_vietnamese_nopad_as_cs " +
		"ucs2_unicode_520_nopad_ci ucs2_unicode_nopad_ci",
	"ujis": "ujis_japanese_nopad_ci ujis_nopad_bin",
	"utf16": "utf16_croatian_mysql561_ci utf16_general_nopad_ci utf16_myanmar_ci utf16_nopad_bin " +
		"utf16_thai_520_w2 utf16_uca1400_ai_ci utf16_uca1400_ai_cs utf16_uca1400_as_ci " +
		"utf16_uca1400_as_cs utf16_uca1400_croatian_ai_ci utf16_uca1400_croatian_ai_cs " +
		"utf16_uca1400_croatian_as_ci utf16_uca1400_croatian_as_cs " +
		"utf16_uca1400_croatian_nopad_ai_ci utf16_uca1400_croatian_nopad_ai_cs " +
		"utf16_uca1400_croatian_nopad_as_ci utf16_uca1400_croatian_nopad_as_cs " +
		"utf16_uca1400_czech_ai_ci utf16_uca1400_czech_ai_cs utf16_uca1400_czech_as_ci " +
		"utf16_uca1400_czech_as_cs utf16_uca1400_czech_nopad_ai_ci utf16_uca1400_czech_nopad_ai_cs " +
		"utf16_uca1400_czech_nopad_as_ci utf16_uca1400_czech_nopad_as_cs utf16_uca1400_danish_ai_ci " +
		"utf16_uca1400_danish_ai_cs utf16_uca1400_danish_as_ci utf16_uca1400_danish_as_cs " +
		"utf16_uca1400_danish_nopad_ai_ci utf16_uca1400_danish_nopad_ai_cs " +
		"utf16_uca1400_danish_nopad_as_ci utf16_uca1400_danish_nopad_as_cs " +
		"utf16_uca1400_esperanto_ai_ci utf16_uca1400_esperanto_ai_cs utf16_uca1400_esperanto_as_ci " +
		"utf16_uca1400_esperanto_as_cs utf16_uca1400_esperanto_nopad_ai_ci " +
		"utf16_uca1400_esperanto_nopad_ai_cs utf16_uca1400_esperanto_nopad_as_ci " +
		"utf16_uca1400_esperanto_nopad_as_cs utf16_uca1400_estonian_ai_ci " +
		"utf16_uca1400_estonian_ai_cs utf16_uca1400_estonian_as_ci utf16_uca1400_estonian_as_cs " +
		"utf16_uca1400_estonian_nopad_ai_ci utf16_uca1400_estonian_nopad_ai_cs " +
		"utf16_uca1400_estonian_nopad_as_ci utf16_uca1400_estonian_nopad_as_cs " +
		"utf16_uca1400_german2_ai_ci utf16_uca1400_german2_ai_cs utf16_uca1400_german2_as_ci " +
		"utf16_uca1400_german2_as_cs utf16_uca1400_german2_nopad_ai_ci " +
		"utf16_uca1400_german2_nopad_ai_cs utf16_uca1400_german2_nopad_as_ci " +
		"utf16_uca1400_german2_nopad_as_cs utf16_uca1400_hungarian_ai_ci " +
		"utf16_uca1400_hungarian_ai_cs utf16_uca1400_hungarian_as_ci utf16_uca1400_hungarian_as_cs " +
		"utf16_uca1400_hungarian_nopad_ai_ci utf16_uca1400_hungarian_nopad_ai_cs " +
		"utf16_uca1400_hungarian_nopad_as_ci utf16_uca1400_hungarian_nopad_as_cs " +
		"utf16_uca1400_icelandic_ai_ci utf16_uca1400_icelandic_ai_cs utf16_uca1400_icelandic_as_ci " +
		"utf16_uca1400_icelandic_as_cs utf16_uca1400_icelandic_nopad_ai_ci " +
		"utf16_uca1400_icelandic_nopad_ai_cs utf16_uca1400_icelandic_nopad_as_ci " +
		"utf16_uca1400_icelandic_nopad_as_cs utf16_uca1400_latvian_ai_ci " +
		"utf16_uca1400_latvian_ai_cs utf16_uca1400_latvian_as_ci utf16_uca1400_latvian_as_cs " +
		"utf16_uca1400_latvian_nopad_ai_ci utf16_uca1400_latvian_nopad_ai_cs " +
		"utf16_uca1400_latvian_nopad_as_ci utf16_uca1400_latvian_nopad_as_cs " +
		"utf16_uca1400_lithuanian_ai_ci utf16_uca1400_lithuanian_ai_cs " +
		"utf16_uca1400_lithuanian_as_ci utf16_uca1400_lithuanian_as_cs " +
		"utf16_uca1400_lithuanian_nopad_ai_ci utf16_uca1400_lithuanian_nopad_ai_cs " +
		"utf16_uca1400_lithuanian_nopad_as_ci utf16_uca1400_lithuanian_nopad_as_cs " +
		"utf16_uca1400_nopad_ai_ci utf16_uca1400_nopad_ai_cs utf16_uca1400_nopad_as_ci " +
		"utf16_uca1400_nopad_as_cs utf16_uca1400_persian_ai_ci utf16_uca1400_persian_ai_cs " +
		"utf16_uca1400_persian_as_ci utf16_uca1400_persian_as_cs utf16_uca1400_persian_nopad_ai_ci " +
		"utf16_uca1400_persian_nopad_ai_cs utf16_uca1400_persian_nopad_as_ci " +
		"utf16_uca1400_persian_nopad_as_cs utf16_uca1400_polish_ai_ci utf16_uca1400_polish_ai_cs " +
		"utf16_uca1400_polish_as_ci utf16_uca1400_polish_as_cs utf16_uca1400_polish_nopad_ai_ci " +
		"utf16_uca1400_polish_nopad_ai_cs utf16_uca1400_polish_nopad_as_ci " +
		"utf16_uca1400_polish_nopad_as_cs utf16_uca1400_roman_ai_ci utf16_uca1400_roman_ai_cs " +
		"utf16_uca1400_roman_as_ci utf16_uca1400_roman_as_cs utf16_uca1400_roman_nopad_ai_ci " +
		"utf16_uca1400_roman_nopad_ai_cs utf16_uca1400_roman_nopad_as_ci " +
		"utf16_uca1400_roman_nopad_as_cs utf16_uca1400_romanian_ai_ci utf16_uca1400_romanian_ai_cs " +
		"utf16_uca1400_romanian_as_ci utf16_uca1400_romanian_as_cs " +
		"utf16_uca1400_romanian_nopad_ai_ci utf16_uca1400_romanian_nopad_ai_cs " +
		"utf16_uca1400_romanian_nopad_as_ci utf16_uca1400_romanian_nopad_as_cs " +
		"utf16_uca1400_sinhala_ai_ci utf16_uca1400_sinhala_ai_cs utf16_uca1400_sinhala_as_ci " +
		"utf16_uca1400_sinhala_as_cs utf16_uca1400_sinhala_nopad_ai_ci " +
		"utf16_uca1400_sinhala_nopad_ai_cs utf16_uca1400_sinhala_nopad_as_ci " +
		"utf16_uca1400_sinhala_nopad_as_cs utf16_uca1400_slovak_ai_ci utf16_uca1400_slovak_ai_cs " +
		"utf16_uca1400_slovak_as_ci utf16_uca1400_slovak_as_cs utf16_uca1400_slovak_nopad_ai_ci " +
		"utf16_uca1400_slovak_nopad_ai_cs utf16_uca1400_slovak_nopad_as_ci " +
		"utf16_uca1400_slovak_nopad_as_cs utf16_uca1400_slovenian_ai_ci " +
		"utf16_uca1400_slovenian_ai_cs utf16_uca1400_slovenian_as_ci utf16_uca1400_slovenian_as_cs " +
		"utf16_uca1400_slovenian_nopad_ai_ci utf16_uca1400_slovenian_nopad_ai_cs " +
		"utf16_uca1400_slovenian_nopad_as_ci utf16_uca1400_slovenian_nopad_as_cs " +
		"utf16_uca1400_spanish2_ai_ci utf16_uca1400_spanish2_ai_cs utf16_uca1400_spanish2_as_ci " +
		"utf16_uca1400_spanish2_as_cs utf16_uca1400_spanish2_nopad_ai_ci " +
		"utf16_uca1400_spanish2_nopad_ai_cs utf16_uca1400_spanish2_nopad_as_ci " +
		"utf16_uca1400_spanish2_nopad_as_cs utf16_uca1400_spanish_ai_ci utf16_uca1400_spanish_ai_cs " +
		"utf16_uca1400_spanish_as_ci utf16_uca1400_spanish_as_cs utf16_uca1400_spanish_nopad_ai_ci " +
		"utf16_uca1400_spanish_nopad_ai_cs utf16_uca1400_spanish_nopad_as_ci " +
		"utf16_uca1400_spanish_nopad_as_cs utf16_uca1400_swedish_ai_ci utf16_uca1400_swedish_ai_cs " +
		"utf16_uca1400_swedish_as_ci utf16_uca1400_swedish_as_cs utf16_uca1400_swedish_nopad_ai_ci " +
		"utf16_uca1400_swedish_nopad_ai_cs utf16_uca1400_swedish_nopad_as_ci " +
		"utf16_uca1400_swedish_nopad_as_cs utf16_uca1400_turkish_ai_ci utf16_uca1400_turkish_ai_cs " +
		"utf16_uca1400_turkish_as_ci utf16_uca1400_turkish_as_cs utf16_uca1400_turkish_nopad_ai_ci " +
		"utf16_uca1400_turkish_nopad_ai_cs utf16_uca1400_turkish_nopad_as_ci " +
		"utf16_uca1400_turkish_nopad_as_cs utf16_uca1400_vietnamese_ai_ci " +
		"utf16_uca1400_vietnamese_ai_cs utf16_uca1400_vietnamese_as_ci " +
		"utf16_uca1400_vietnamese_as_cs utf16_uca1400_vietnamese_nopad_ai_ci " +
		"utf16_uca1400_vietnamese_nopad_ai_cs utf16_uca1400_vietnamese_nopad_as_ci " +
		"utf16_uca1400_vietnamese_nopad_as_cs utf16_unicode_520_nopad_ci utf16_unicode_nopad_ci",
	"utf16le": "utf16le_general_nopad_ci utf16le_nopad_bin",
	"utf32": "utf32_croatian_mysql561_ci utf32_general_nopad_ci utf32_myanmar_ci utf32_nopad_bin " +
		"utf32_thai_520_w2 utf32_uca1400_ai_ci utf32_uca1400_ai_cs utf32_uca1400_as_ci " +
		"utf32_uca1400_as_cs utf32_uca1400_croatian_ai_ci utf32_uca1400_croatian_ai_cs " +
		"utf32_uca1400_croatian_as_ci utf32_uca1400_croatian_as_cs " +
		"utf32_uca1400_croatian_nopad_ai_ci utf32_uca1400_croatian_nopad_ai_cs " +
		"utf32_uca1400_croatian_nopad_as_ci utf32_uca1400_croatian_nopad_as_cs " +
		"utf32_uca1400_czech_ai_ci utf32_uca1400_czech_ai_cs utf32_uca1400_czech_as_ci " +
		"utf32_uca1400_czech_as_cs utf32_uca1400_czech_nopad_ai_ci utf32_uca1400_czech_nopad_ai_cs " +
		"utf32_uca1400_czech_nopad_as_ci utf32_uca1400_czech_nopad_as_cs utf32_uca1400_danish_ai_ci " +
		"utf32_uca1400_danish_ai_cs utf32_uca1400_danish_as_ci utf32_uca1400_danish_as_cs " +
		"utf32_uca1400_danish_nopad_ai_ci utf32_uca1400_danish_nopad_ai_cs " +
		"utf32_uca1400_danish_nopad_as_ci utf32_uca1400_danish_nopad_as_cs " +
		"utf32_uca1400_esperanto_ai_ci utf32_uca1400_esperanto_ai_cs utf32_uca1400_esperanto_as_ci " +
		"utf32_uca1400_esperanto_as_cs utf32_uca1400_esperanto_nopad_ai_ci " +
		"utf32_uca1400_esperanto_nopad_ai_cs utf32_uca1400_esperanto_nopad_as_ci " +
		"utf32_uca1400_esperanto_nopad_as_cs utf32_uca1400_estonian_ai_ci " +
		"utf32_uca1400_estonian_ai_cs utf32_uca1400_estonian_as_ci utf32_uca1400_estonian_as_cs " +
		"utf32_uca1400_estonian_nopad_ai_ci utf32_uca1400_estonian_nopad_ai_cs " +
		"utf32_uca1400_estonian_nopad_as_ci utf32_uca1400_estonian_nopad_as_cs " +
		"utf32_uca1400_german2_ai_ci utf32_uca1400_german2_ai_cs utf32_uca1400_german2_as_ci " +
		"utf32_uca1400_german2_as_cs utf32_uca1400_german2_nopad_ai_ci " +
		"utf32_uca1400_german2_nopad_ai_cs utf32_uca1400_german2_nopad_as_ci " +
		"utf32_uca1400_german2_nopad_as_cs utf32_uca1400_hungarian_ai_ci " +
		"utf32_uca1400_hungarian_ai_cs utf32_uca1400_hungarian_as_ci utf32_uca1400_hungarian_as_cs " +
		"utf32_uca1400_hungarian_nopad_ai_ci utf32_uca1400_hungarian_nopad_ai_cs " +
		"utf32_uca1400_hungarian_nopad_as_ci utf32_uca1400_hungarian_nopad_as_cs " +
		"utf32_uca1400_icelandic_ai_ci utf32_uca1400_icelandic_ai_cs utf32_uca1400_icelandic_as_ci " +
		"utf32_uca1400_icelandic_as_cs utf32_uca1400_icelandic_nopad_ai_ci " +
		"utf32_uca1400_icelandic_nopad_ai_cs utf32_uca1400_icelandic_nopad_as_ci " +
		"utf32_uca1400_icelandic_nopad_as_cs utf32_uca1400_latvian_ai_ci " +
		"utf32_uca1400_latvian_ai_cs utf32_uca1400_latvian_as_ci utf32_uca1400_latvian_as_cs " +
		"utf32_uca1400_latvian_nopad_ai_ci utf32_uca1400_latvian_nopad_ai_cs " +
		"utf32_uca1400_latvian_nopad_as_ci utf32_uca1400_latvian_nopad_as_cs " +
		"utf32_uca1400_lithuanian_ai_ci utf32_uca1400_lithuanian_ai_cs " +
		"utf32_uca1400_lithuanian_as_ci utf32_uca1400_lithuanian_as_cs " +
		"utf32_uca1400_lithuanian_nopad_ai_ci utf32_uca1400_lithuanian_nopad_ai_cs " +
		"utf32_uca1400_lithuanian_nopad_as_ci utf32_uca1400_lithuanian_nopad_as_cs " +
		"utf32_uca1400_nopad_ai_ci utf32_uca1400_nopad_ai_cs utf32_uca1400_nopad_as_ci " +
		"utf32_uca1400_nopad_as_cs utf32_uca1400_persian_ai_ci utf32_uca1400_persian_ai_cs " +
		"utf32_uca1400_persian_as_ci utf32_uca1400_persian_as_cs utf32_uca1400_persian_nopad_ai_ci " +
		"utf32_uca1400_persian_nopad_ai_cs utf32_uca1400_persian_nopad_as_ci " +
		"utf32_uca1400_persian_nopad_as_cs utf32_uca1400_polish_ai_ci utf32_uca1400_polish_ai_cs " +
		"utf32_uca1400_polish_as_ci utf32_uca1400_polish_as_cs utf32_uca1400_polish_nopad_ai_ci " +
		"utf32_uca1400_polish_nopad_ai_cs utf32_uca1400_polish_nopad_as_ci " +
		"utf32_uca1400_polish_nopad_as_cs utf32_uca1400_roman_ai_ci utf32_uca1400_roman_ai_cs " +
		"utf32_uca1400_roman_as_ci utf32_uca1400_roman_as_cs utf32_uca1400_roman_nopad_ai_ci " +
		"utf32_uca1400_roman_nopad_ai_cs utf32_uca1400_roman_nopad_as_ci " +
		"utf32_uca1400_roman_nopad_as_cs utf32_uca1400_romanian_ai_ci utf32_uca1400_romanian_ai_cs " +
		"utf32_uca1400_romanian_as_ci utf32_uca1400_romanian_as_cs " +
		"utf32_uca1400_romanian_nopad_ai_ci utf32_uca1400_romanian_nopad_ai_cs " +
		"utf32_uca1400_romanian_nopad_as_ci utf32_uca1400_romanian_nopad_as_cs " +
		"utf32_uca1400_sinhala_ai_ci utf32_uca1400_sinhala_ai_cs utf32_uca1400_sinhala_as_ci " +
		"utf32_uca1400_sinhala_as_cs utf32_uca1400_sinhala_nopad_ai_ci " +
		"utf32_uca1400_sinhala_nopad_ai_cs utf32_uca1400_sinhala_nopad_as_ci " +
		"utf32_uca1400_sinhala_nopad_as_cs utf32_uca1400_slovak_ai_ci utf32_uca1400_slovak_ai_cs " +
		"utf32_uca1400_slovak_as_ci utf32_uca1400_slovak_as_cs utf32_uca1400_slovak_nopad_ai_ci " +
		"utf32_uca1400_slovak_nopad_ai_cs utf32_uca1400_slovak_nopad_as_ci " +
		"utf32_uca1400_slovak_nopad_as_cs utf32_uca1400_slovenian_ai_ci " +
		"utf32_uca1400_slovenian_ai_cs utf32_uca1400_slovenian_as_ci utf32_uca1400_slovenian_as_cs " +
		"utf32_uca1400_slovenian_nopad_ai_ci utf32_uca1400_slovenian_nopad_ai_cs " +
		"utf32_uca1400_slovenian_nopad_as_ci utf32_uca1400_slovenian_nopad_as_cs " +
		"utf32_uca1400_spanish2_ai_ci utf32_uca1400_spanish2_ai_cs utf32_uca1400_spanish2_as_ci " +
		"utf32_uca1400_spanish2_as_cs utf32_uca1400_spanish2_nopad_ai_ci " +
		"utf32_uca1400_spanish2_nopad_ai_cs utf32_uca1400_spanish2_nopad_as_ci " +
		"utf32_uca1400_spanish2_nopad_as_cs utf32_uca1400_spanish_ai_ci utf32_uca1400_spanish_ai_cs " +
		"utf32_uca1400_spanish_as_ci utf32_uca1400_spanish_as_cs utf32_uca1400_spanish_nopad_ai_ci " +
		"utf32_uca1400_spanish_nopad_ai_cs utf32_uca1400_spanish_nopad_as_ci " +
		"utf32_uca1400_spanish_nopad_as_cs utf32_uca1400_swedish_ai_ci utf32_uca1400_swedish_ai_cs " +
		"utf32_uca1400_swedish_as_ci utf32_uca1400_swedish_as_cs utf32_uca1400_swedish_nopad_ai_ci " +
		"utf32_uca1400_swedish_nopad_ai_cs utf32_uca1400_swedish_nopad_as_ci " +
		"utf32_uca1400_swedish_nopad_as_cs utf32_uca1400_turkish_ai_ci utf32_uca1400_turkish_ai_cs " +
		"utf32_uca1400_turkish_as_ci utf32_uca1400_turkish_as_cs utf32_uca1400_turkish_nopad_ai_ci " +
		"utf32_uca1400_turkish_nopad_ai_cs utf32_uca1400_turkish_nopad_as_ci " +
		"utf32_uca1400_turkish_nopad_as_cs utf32_uca1400_vietnamese_ai_ci " +
		"utf32_uca1400_vietnamese_ai_cs utf32_uca1400_vietnamese_as_ci " +
		"utf32_uca1400_vietnamese_as_cs utf32_uca1400_vietnamese_nopad_ai_ci " +
		"utf32_uca1400_vietnamese_nopad_ai_cs utf32_uca1400_vietnamese_nopad_as_ci " +
		"utf32_uca1400_vietnamese_nopad_as_cs utf32_unicode_520_nopad_ci utf32_unicode_nopad_ci",
	"utf8mb3": "utf8mb3_croatian_ci utf8mb3_croatian_mysql561_ci utf8mb3_czech_ci utf8mb3_danish_ci " +
		"utf8mb3_esperanto_ci utf8mb3_estonian_ci utf8mb3_general1400_as_ci " +
		"utf8mb3_general_mysql500_ci utf8mb3_general_nopad_ci utf8mb3_german2_ci " +
		"utf8mb3_hungarian_ci utf8mb3_icelandic_ci utf8mb3_latvian_ci utf8mb3_lithuanian_ci " +
		"utf8mb3_myanmar_ci utf8mb3_nopad_bin utf8mb3_persian_ci utf8mb3_polish_ci utf8mb3_roman_ci " +
		"utf8mb3_romanian_ci utf8mb3_sinhala_ci utf8mb3_slovak_ci utf8mb3_slovenian_ci " +
		"utf8mb3_spanish2_ci utf8mb3_spanish_ci utf8mb3_swedish_ci utf8mb3_thai_520_w2 " +
		"utf8mb3_tolower_ci utf8mb3_turkish_ci utf8mb3_uca1400_ai_ci utf8mb3_uca1400_ai_cs " +
		"utf8mb3_uca1400_as_ci utf8mb3_uca1400_as_cs utf8mb3_uca1400_croatian_ai_ci " +
		"utf8mb3_uca1400_croatian_ai_cs utf8mb3_uca1400_croatian_as_ci " +
		"utf8mb3_uca1400_croatian_as_cs utf8mb3_uca1400_croatian_nopad_ai_ci " +
		"utf8mb3_uca1400_croatian_nopad_ai_cs utf8mb3_uca1400_croatian_nopad_as_ci " +
		"utf8mb3_uca1400_croatian_nopad_as_cs utf8mb3_uca1400_czech_ai_ci " +
		"utf8mb3_uca1400_czech_ai_cs utf8mb3_uca1400_czech_as_ci utf8mb3_uca1400_czech_as_cs " +
		"utf8mb3_uca1400_czech_nopad_ai_ci utf8mb3_uca1400_czech_nopad_ai_cs " +
		"utf8mb3_uca1400_czech_nopad_as_ci utf8mb3_uca1400_czech_nopad_as_cs " +
		"utf8mb3_uca1400_danish_ai_ci utf8mb3_uca1400_danish_ai_cs utf8mb3_uca1400_danish_as_ci " +
		"utf8mb3_uca1400_danish_as_cs utf8mb3_uca1400_danish_nopad_ai_ci " +
		"utf8mb3_uca1400_danish_nopad_ai_cs utf8mb3_uca1400_danish_nopad_as_ci " +
		"utf8mb3_uca1400_danish_nopad_as_cs utf8mb3_uca1400_esperanto_ai_ci " +
		"utf8mb3_uca1400_esperanto_ai_cs utf8mb3_uca1400_esperanto_as_ci " +
		"utf8mb3_uca1400_esperanto_as_cs utf8mb3_uca1400_esperanto_nopad_ai_ci " +
		"utf8mb3_uca1400_esperanto_nopad_ai_cs utf8mb3_uca1400_esperanto_nopad_as_ci " +
		"utf8mb3_uca1400_esperanto_nopad_as_cs utf8mb3_uca1400_estonian_ai_ci " +
		"utf8mb3_uca1400_estonian_ai_cs utf8mb3_uca1400_estonian_as_ci " +
		"utf8mb3_uca1400_estonian_as_cs utf8mb3_uca1400_estonian_nopad_ai_ci " +
		"utf8mb3_uca1400_estonian_nopad_ai_cs utf8mb3_uca1400_estonian_nopad_as_ci " +
		"utf8mb3_uca1400_estonian_nopad_as_cs utf8mb3_uca1400_german2_ai_ci " +
		"utf8mb3_uca1400_german2_ai_cs utf8mb3_uca1400_german2_as_ci utf8mb3_uca1400_german2_as_cs " +
		"utf8mb3_uca1400_german2_nopad_ai_ci utf8mb3_uca1400_german2_nopad_ai_cs " +
		"utf8mb3_uca1400_german2_nopad_as_ci utf8mb3_uca1400_german2_nopad_as_cs " +
		"utf8mb3_uca1400_hungarian_ai_ci utf8mb3_uca1400_hungarian_ai_cs " +
		"utf8mb3_uca1400_hungarian_as_ci utf8mb3_uca1400_hungarian_as_cs " +
		"utf8mb3_uca1400_hungarian_nopad_ai_ci utf8mb3_uca1400_hungarian_nopad_ai_cs " +
		"utf8mb3_uca1400_hungarian_nopad_as_ci utf8mb3_uca1400_hungarian_nopad_as_cs " +
		"utf8mb3_uca1400_icelandic_ai_ci utf8mb3_uca1400_icelandic_ai_cs " +
		"utf8mb3_uca1400_icelandic_as_ci utf8mb3_uca1400_icelandic_as_cs " +
		"utf8mb3_uca1400_icelandic_nopad_ai_ci utf8mb3_uca1400_icelandic_nopad_ai_cs " +
		"utf8mb3_uca1400_icelandic_nopad_as_ci utf8mb3_uca1400_icelandic_nopad_as_cs " +
		"utf8mb3_uca1400_latvian_ai_ci utf8mb3_uca1400_latvian_ai_cs utf8mb3_uca1400_latvian_as_ci " +
		"utf8mb3_uca1400_latvian_as_cs utf8mb3_uca1400_latvian_nopad_ai_ci " +
		"utf8mb3_uca1400_latvian_nopad_ai_cs utf8mb3_uca1400_latvian_nopad_as_ci " +
		"utf8mb3_uca1400_latvian_nopad_as_cs utf8mb3_uca1400_lithuanian_ai_ci " +
		"utf8mb3_uca1400_lithuanian_ai_cs utf8mb3_uca1400_lithuanian_as_ci " +
		"utf8mb3_uca1400_lithuanian_as_cs utf8mb3_uca1400_lithuanian_nopad_ai_ci " +
		"utf8mb3_uca1400_lithuanian_nopad_ai_cs utf8mb3_uca1400_lithuanian_nopad_as_ci " +
		"utf8mb3_uca1400_lithuanian_nopad_as_cs utf8mb3_uca1400_nopad_ai_ci " +
		"utf8mb3_uca1400_nopad_ai_cs utf8mb3_uca1400_nopad_as_ci utf8mb3_uca1400_nopad_as_cs " +
		"utf8mb3_uca1400_persian_ai_ci utf8mb3_uca1400_persian_ai_cs utf8mb3_uca1400_persian_as_ci " +
		"utf8mb3_uca1400_persian_as_cs utf8mb3_uca1400_persian_nopad_ai_ci " +
		"utf8mb3_uca1400_persian_nopad_ai_cs utf8mb3_uca1400_persian_nopad_as_ci " +
		"utf8mb3_uca1400_persian_nopad_as_cs utf8mb3_uca1400_polish_ai_ci " +
		"utf8mb3_uca1400_polish_ai_cs utf8mb3_uca1400_polish_as_ci utf8mb3_uca1400_polish_as_cs " +
		"utf8mb3_uca1400_polish_nopad_ai_ci utf8mb3_uca1400_polish_nopad_ai_cs " +
		"utf8mb3_uca1400_polish_nopad_as_ci utf8mb3_uca1400_polish_nopad_as_cs " +
		"utf8mb3_uca1400_roman_ai_ci utf8mb3_uca1400_roman_ai_cs utf8mb3_uca1400_roman_as_ci " +
		"utf8mb3_uca1400_roman_as_cs utf8mb3_uca1400_roman_nopad_ai_ci " +
		"utf8mb3_uca1400_roman_nopad_ai_cs utf8mb3_uca1400_roman_nopad_as_ci " +
		"utf8mb3_uca1400_roman_nopad_as_cs utf8mb3_uca1400_romanian_ai_ci " +
		"utf8mb3_uca1400_romanian_ai_cs utf8mb3_uca1400_romanian_as_ci " +
		"utf8mb3_uca1400_romanian_as_cs utf8mb3_uca1400_romanian_nopad_ai_ci " +
		"utf8mb3_uca1400_romanian_nopad_ai_cs utf8mb3_uca1400_romanian_nopad_as_ci " +
		"utf8mb3_uca1400_romanian_nopad_as_cs utf8mb3_uca1400_sinhala_ai_ci " +
		"utf8mb3_uca1400_sinhala_ai_cs utf8mb3_uca1400_sinhala_as_ci utf8mb3_uca1400_sinhala_as_cs " +
		"utf8mb3_uca1400_sinhala_nopad_ai_ci utf8mb3_uca1400_sinhala_nopad_ai_cs " +
		"utf8mb3_uca1400_sinhala_nopad_as_ci utf8mb3_uca1400_sinhala_nopad_as_cs " +
		"utf8mb3_uca1400_slovak_ai_ci utf8mb3_uca1400_slovak_ai_cs utf8mb3_uca1400_slovak_as_ci " +
		"utf8mb3_uca1400_slovak_as_cs utf8mb3_uca1400_slovak_nopad_ai_ci " +
		"utf8mb3_uca1400_slovak_nopad_ai_cs utf8mb3_uca1400_slovak_nopad_as_ci " +
		"utf8mb3_uca1400_slovak_nopad_as_cs utf8mb3_uca1400_slovenian_ai_ci " +
		"utf8mb3_uca1400_slovenian_ai_cs utf8mb3_uca1400_slovenian_as_ci " +
		"utf8mb3_uca1400_slovenian_as_cs utf8mb3_uca1400_slovenian_nopad_ai_ci " +
		"utf8mb3_uca1400_slovenian_nopad_ai_cs utf8mb3_uca1400_slovenian_nopad_as_ci " +
		"utf8mb3_uca1400_slovenian_nopad_as_cs utf8mb3_uca1400_spanish2_ai_ci " +
		"utf8mb3_uca1400_spanish2_ai_cs utf8mb3_uca1400_spanish2_as_ci " +
		"utf8mb3_uca1400_spanish2_as_cs utf8mb3_uca1400_spanish2_nopad_ai_ci " +
		"utf8mb3_uca1400_spanish2_nopad_ai_cs utf8mb3_uca1400_spanish2_nopad_as_ci " +
		"utf8mb3_uca1400_spanish2_nopad_as_cs utf8mb3_uca1400_spanish_ai_ci " +
		"utf8mb3_uca1400_spanish_ai_cs utf8mb3_uca1400_spanish_as_ci utf8mb3_uca1400_spanish_as_cs " +
		"utf8mb3_uca1400_spanish_nopad_ai_ci utf8mb3_uca1400_spanish_nopad_ai_cs " +
		"utf8mb3_uca1400_spanish_nopad_as_ci utf8mb3_uca1400_spanish_nopad_as_cs " +
		"utf8mb3_uca1400_swedish_ai_ci utf8mb3_uca1400_swedish_ai_cs utf8mb3_uca1400_swedish_as_ci " +
		"utf8mb3_uca1400_swedish_as_cs utf8mb3_uca1400_swedish_nopad_ai_ci " +
		"utf8mb3_uca1400_swedish_nopad_ai_cs utf8mb3_uca1400_swedish_nopad_as_ci " +
		"utf8mb3_uca1400_swedish_nopad_as_cs utf8mb3_uca1400_turkish_ai_ci " +
		"utf8mb3_uca1400_turkish_ai_cs utf8mb3_uca1400_turkish_as_ci utf8mb3_uca1400_turkish_as_cs " +
		"utf8mb3_uca1400_turkish_nopad_ai_ci utf8mb3_uca1400_turkish_nopad_ai_cs " +
		"utf8mb3_uca1400_turkish_nopad_as_ci utf8mb3_uca1400_turkish_nopad_as_cs " +
		"utf8mb3_uca1400_vietnamese_ai_ci utf8mb3_uca1400_vietnamese_ai_cs " +
		"utf8mb3_uca1400_vietnamese_as_ci utf8mb3_uca1400_vietnamese_as_cs " +
		"utf8mb3_uca1400_vietnamese_nopad_ai_ci utf8mb3_uca1400_vietnamese_nopad_ai_cs " +
		"utf8mb3_uca1400_vietnamese_nopad_as_ci utf8mb3_uca1400_vietnamese_nopad_as_cs " +
		"utf8mb3_unicode_520_ci utf8mb3_unicode_520_nopad_ci utf8mb3_unicode_nopad_ci " +
		"utf8mb3_vietnamese_ci",
	"utf8mb4": "utf8mb4_bg_0900_ai_ci utf8mb4_bg_0900_as_cs utf8mb4_bs_0900_ai_ci utf8mb4_bs_0900_as_cs " +
		"utf8mb4_croatian_mysql561_ci utf8mb4_general1400_as_ci utf8mb4_general_nopad_ci " +
		"utf8mb4_gl_0900_ai_ci utf8mb4_gl_0900_as_cs utf8mb4_mn_cyrl_0900_ai_ci " +
		"utf8mb4_mn_cyrl_0900_as_cs utf8mb4_myanmar_ci utf8mb4_nb_0900_ai_ci utf8mb4_nb_0900_as_cs " +
		"utf8mb4_nn_0900_ai_ci utf8mb4_nn_0900_as_cs utf8mb4_nopad_bin utf8mb4_sr_latn_0900_ai_ci " +
		"utf8mb4_sr_latn_0900_as_cs utf8mb4_thai_520_w2 utf8mb4_uca1400_ai_ci utf8mb4_uca1400_ai_cs " +
		"utf8mb4_uca1400_as_ci utf8mb4_uca1400_as_cs utf8mb4_uca1400_croatian_ai_ci " +
		"utf8mb4_uca1400_croatian_ai_cs utf8mb4_uca1400_croatian_as_ci " +
		"utf8mb4_uca1400_croatian_as_cs utf8mb4_uca1400_croatian_nopad_ai_ci " +
		"utf8mb4_uca1400_croatian_nopad_ai_cs utf8mb4_uca1400_croatian_nopad_as_ci " +
		"utf8mb4_uca1400_croatian_nopad_as_cs utf8mb4_uca1400_czech_ai_ci " +
		"utf8mb4_uca1400_czech_ai_cs utf8mb4_uca1400_czech_as_ci utf8mb4_uca1400_czech_as_cs " +
		"utf8mb4_uca1400_czech_nopad_ai_ci utf8mb4_uca1400_czech_nopad_ai_cs " +
		"utf8mb4_uca1400_czech_nopad_as_ci utf8mb4_uca1400_czech_nopad_as_cs " +
		"utf8mb4_uca1400_danish_ai_ci utf8mb4_uca1400_danish_ai_cs utf8mb4_uca1400_danish_as_ci " +
		"utf8mb4_uca1400_danish_as_cs utf8mb4_uca1400_danish_nopad_ai_ci " +
		"utf8mb4_uca1400_danish_nopad_ai_cs utf8mb4_uca1400_danish_nopad_as_ci " +
		"utf8mb4_uca1400_danish_nopad_as_cs utf8mb4_uca1400_esperanto_ai_ci " +
		"utf8mb4_uca1400_esperanto_ai_cs utf8mb4_uca1400_esperanto_as_ci " +
		"utf8mb4_uca1400_esperanto_as_cs utf8mb4_uca1400_esperanto_nopad_ai_ci " +
		"utf8mb4_uca1400_esperanto_nopad_ai_cs utf8mb4_uca1400_esperanto_nopad_as_ci " +
		"utf8mb4_uca1400_esperanto_nopad_as_cs utf8mb4_uca1400_estonian_ai_ci " +
		"utf8mb4_uca1400_estonian_ai_cs utf8mb4_uca1400_estonian_as_ci " +
		"utf8mb4_uca1400_estonian_as_cs utf8mb4_uca1400_estonian_nopad_ai_ci " +
		"utf8mb4_uca1400_estonian_nopad_ai_cs utf8mb4_uca1400_estonian_nopad_as_ci " +
		"utf8mb4_uca1400_estonian_nopad_as_cs utf8mb4_uca1400_german2_ai_ci " +
		"utf8mb4_uca1400_german2_ai_cs utf8mb4_uca1400_german2_as_ci utf8mb4_uca1400_german2_as_cs " +
		"utf8mb4_uca1400_german2_nopad_ai_ci utf8mb4_uca1400_german2_nopad_ai_cs " +
		"utf8mb4_uca1400_german2_nopad_as_ci utf8mb4_uca1400_german2_nopad_as_cs " +
		"utf8mb4_uca1400_hungarian_ai_ci utf8mb4_uca1400_hungarian_ai_cs " +
		"utf8mb4_uca1400_hungarian_as_ci utf8mb4_uca1400_hungarian_as_cs " +
		"utf8mb4_uca1400_hungarian_nopad_ai_ci utf8mb4_uca1400_hungarian_nopad_ai_cs " +
		"utf8mb4_uca1400_hungarian_nopad_as_ci utf8mb4_uca1400_hungarian_nopad_as_cs " +
		"utf8mb4_uca1400_icelandic_ai_ci utf8mb4_uca1400_icelandic_ai_cs " +
		"utf8mb4_uca1400_icelandic_as_ci utf8mb4_uca1400_icelandic_as_cs " +
		"utf8mb4_uca1400_icelandic_nopad_ai_ci utf8mb4_uca1400_icelandic_nopad_ai_cs " +
		"utf8mb4_uca1400_icelandic_nopad_as_ci utf8mb4_uca1400_icelandic_nopad_as_cs " +
		"utf8mb4_uca1400_latvian_ai_ci utf8mb4_uca1400_latvian_ai_cs utf8mb4_uca1400_latvian_as_ci " +
		"utf8mb4_uca1400_latvian_as_cs utf8mb4_uca1400_latvian_nopad_ai_ci " +
		"utf8mb4_uca1400_latvian_nopad_ai_cs utf8mb4_uca1400_latvian_nopad_as_ci " +
		"utf8mb4_uca1400_latvian_nopad_as_cs utf8mb4_uca1400_lithuanian_ai_ci " +
		"utf8mb4_uca1400_lithuanian_ai_cs utf8mb4_uca1400_lithuanian_as_ci " +
		"utf8mb4_uca1400_lithuanian_as_cs utf8mb4_uca1400_lithuanian_nopad_ai_ci " +
		"utf8mb4_uca1400_lithuanian_nopad_ai_cs utf8mb4_uca1400_lithuanian_nopad_as_ci " +
		"utf8mb4_uca1400_lithuanian_nopad_as_cs utf8mb4_uca1400_nopad_ai_ci " +
		"utf8mb4_uca1400_nopad_ai_cs utf8mb4_uca1400_nopad_as_ci utf8mb4_uca1400_nopad_as_cs " +
		"utf8mb4_uca1400_persian_ai_ci utf8mb4_uca1400_persian_ai_cs utf8mb4_uca1400_persian_as_ci " +
		"utf8mb4_uca1400_persian_as_cs utf8mb4_uca1400_persian_nopad_ai_ci " +
		"utf8mb4_uca1400_persian_nopad_ai_cs utf8mb4_uca1400_persian_nopad_as_ci " +
		"utf8mb4_uca1400_persian_nopad_as_cs utf8mb4_uca1400_polish_ai_ci " +
		"utf8mb4_uca1400_polish_ai_cs utf8mb4_uca1400_polish_as_ci utf8mb4_uca1400_polish_as_cs " +
		"utf8mb4_uca1400_polish_nopad_ai_ci utf8mb4_uca1400_polish_nopad_ai_cs " +
		"utf8mb4_uca1400_polish_nopad_as_ci utf8mb4_uca1400_polish_nopad_as_cs " +
		"utf8mb4_uca1400_roman_ai_ci utf8mb4_uca1400_roman_ai_cs utf8mb4_uca1400_roman_as_ci " +
		"utf8mb4_uca1400_roman_as_cs utf8mb4_uca1400_roman_nopad_ai_ci " +
		"utf8mb4_uca1400_roman_nopad_ai_cs utf8mb4_uca1400_roman_nopad_as_ci " +
		"utf8mb4_uca1400_roman_nopad_as_cs utf8mb4_uca1400_romanian_ai_ci " +
		"utf8mb4_uca1400_romanian_ai_cs utf8mb4_uca1400_romanian_as_ci " +
		"utf8mb4_uca1400_romanian_as_cs utf8mb4_uca1400_romanian_nopad_ai_ci " +
		"utf8mb4_uca1400_romanian_nopad_ai_cs utf8mb4_uca1400_romanian_nopad_as_ci " +
		"utf8mb4_uca1400_romanian_nopad_as_cs utf8mb4_uca1400_sinhala_ai_ci " +
		"utf8mb4_uca1400_sinhala_ai_cs utf8mb4_uca1400_sinhala_as_ci utf8mb4_uca1400_sinhala_as_cs " +
		"utf8mb4_uca1400_sinhala_nopad_ai_ci utf8mb4_uca1400_sinhala_nopad_ai_cs " +
		"utf8mb4_uca1400_sinhala_nopad_as_ci utf8mb4_uca1400_sinhala_nopad_as_cs " +
		"utf8mb4_uca1400_slovak_ai_ci utf8mb4_uca1400_slovak_ai_cs utf8mb4_uca1400_slovak_as_ci " +
		"utf8mb4_uca1400_slovak_as_cs utf8mb4_uca1400_slovak_nopad_ai_ci " +
		"utf8mb4_uca1400_slovak_nopad_ai_cs utf8mb4_uca1400_slovak_nopad_as_ci " +
		"utf8mb4_uca1400_slovak_nopad_as_cs utf8mb4_uca1400_slovenian_ai_ci " +
		"utf8mb4_uca1400_slovenian_ai_cs utf8mb4_uca1400_slovenian_as_ci " +
		"utf8mb4_uca1400_slovenian_as_cs utf8mb4_uca1400_slovenian_nopad_ai_ci " +
		"utf8mb4_uca1400_slovenian_nopad_ai_cs utf8mb4_uca1400_slovenian_nopad_as_ci " +
		"utf8mb4_uca1400_slovenian_nopad_as_cs utf8mb4_uca1400_spanish2_ai_ci " +
		"utf8mb4_uca1400_spanish2_ai_cs utf8mb4_uca1400_spanish2_as_ci " +
		"utf8mb4_uca1400_spanish2_as_cs utf8mb4_uca1400_spanish2_nopad_ai_ci " +
		"utf8mb4_uca1400_spanish2_nopad_ai_cs utf8mb4_uca1400_spanish2_nopad_as_ci " +
		"utf8mb4_uca1400_spanish2_nopad_as_cs utf8mb4_uca1400_spanish_ai_ci " +
		"utf8mb4_uca1400_spanish_ai_cs utf8mb4_uca1400_spanish_as_ci utf8mb4_uca1400_spanish_as_cs " +
		"utf8mb4_uca1400_spanish_nopad_ai_ci utf8mb4_uca1400_spanish_nopad_ai_cs " +
		"utf8mb4_uca1400_spanish_nopad_as_ci utf8mb4_uca1400_spanish_nopad_as_cs " +
		"utf8mb4_uca1400_swedish_ai_ci utf8mb4_uca1400_swedish_ai_cs utf8mb4_uca1400_swedish_as_ci " +
		"utf8mb4_uca1400_swedish_as_cs utf8mb4_uca1400_swedish_nopad_ai_ci " +
		"utf8mb4_uca1400_swedish_nopad_ai_cs utf8mb4_uca1400_swedish_nopad_as_ci " +
		"utf8mb4_uca1400_swedish_nopad_as_cs utf8mb4_uca1400_turkish_ai_ci " +
		"utf8mb4_uca1400_turkish_ai_cs utf8mb4_uca1400_turkish_as_ci utf8mb4_uca1400_turkish_as_cs " +
		"utf8mb4_uca1400_turkish_nopad_ai_ci utf8mb4_uca1400_turkish_nopad_ai_cs " +
		"utf8mb4_uca1400_turkish_nopad_as_ci utf8mb4_uca1400_turkish_nopad_as_cs " +
		"utf8mb4_uca1400_vietnamese_ai_ci utf8mb4_uca1400_vietnamese_ai_cs " +
		"utf8mb4_uca1400_vietnamese_as_ci utf8mb4_uca1400_vietnamese_as_cs " +
		"utf8mb4_uca1400_vietnamese_nopad_ai_ci utf8mb4_uca1400_vietnamese_nopad_ai_cs " +
		"utf8mb4_uca1400_vietnamese_nopad_as_ci utf8mb4_uca1400_vietnamese_nopad_as_cs " +
		"utf8mb4_unicode_520_nopad_ci utf8mb4_unicode_nopad_ci",
}
