package runner

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/containerd/errdefs"
	"github.com/moby/moby/client"
)

// labelRun marks every container schema-guard starts with the run's id, so cleanup can remove
// exactly what this run created even when a start was interrupted half-way.
const labelRun = "org.schema-guard.run"

// dockerClient connects to the Docker engine the way the docker CLI does (DOCKER_HOST, else the
// default socket), falling back to the rootless socket.
func dockerClient() (*client.Client, error) {
	opts := []client.Opt{client.FromEnv}
	if os.Getenv("DOCKER_HOST") == "" {
		if _, err := os.Stat("/var/run/docker.sock"); err != nil {
			if dir := os.Getenv("XDG_RUNTIME_DIR"); dir != "" {
				if sock := filepath.Join(dir, "docker.sock"); fileExists(sock) {
					opts = append(opts, client.WithHost("unix://"+sock))
				}
			}
		}
	}
	return client.New(opts...)
}

// dockerAnswers checks that a Docker engine answers a ping within a few seconds. It is asked
// before testcontainers is, because testcontainers panics when it finds no Docker host.
func dockerAnswers(ctx context.Context) error {
	cli, err := dockerClient()
	if err != nil {
		return err
	}
	defer cli.Close()
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	_, err = cli.Ping(ctx, client.PingOptions{NegotiateAPIVersion: true})
	return err
}

// ensureImage makes sure the image is present locally, pulling it once if it is not.
// testcontainers would pull too, but it retries network failures for up to 15 minutes; a registry
// that cannot be reached should fail the run at once with a clear line.
func ensureImage(ctx context.Context, cli *client.Client, image string, log *slog.Logger) error {
	_, err := cli.ImageInspect(ctx, image)
	if err == nil {
		return nil
	}
	if !errdefs.IsNotFound(err) {
		return fmt.Errorf("inspect image %s: %w", image, err)
	}
	log.Info("pulling image", "image", image)
	pull, err := cli.ImagePull(ctx, image, client.ImagePullOptions{})
	if err == nil {
		err = pull.Wait(ctx)
		pull.Close()
	}
	if err != nil {
		return fmt.Errorf("image %s is not available locally and cannot be pulled (%w); pull or build it, choose another with --image, or use --dsn", image, err)
	}
	return nil
}

// removeRunContainers force-removes every container labelled with the run id.
func removeRunContainers(ctx context.Context, runID string) error {
	cli, err := dockerClient()
	if err != nil {
		return err
	}
	defer cli.Close()
	list, err := cli.ContainerList(ctx, client.ContainerListOptions{
		All:     true,
		Filters: make(client.Filters).Add("label", labelRun+"="+runID),
	})
	if err != nil {
		return fmt.Errorf("list containers of run %s: %w", runID, err)
	}
	var errs []error
	for _, c := range list.Items {
		_, err := cli.ContainerRemove(ctx, c.ID, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true})
		if err != nil && !errdefs.IsNotFound(err) {
			errs = append(errs, fmt.Errorf("remove container %.12s: %w", c.ID, err))
		}
	}
	return errors.Join(errs...)
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
