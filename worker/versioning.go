package worker

import (
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

// WithDeployment opts the worker into Temporal's Worker Deployments as version buildID
// of deployment name (README "Upgrades and worker versioning"). Its workflows are
// AutoUpgrade: a running complaint moves to the deployment's current version at its
// next task, so the GetVersion patches and their replay tests stay what keeps a change
// safe; what the deployment adds is the switch itself (set-current-version, ramping,
// going back) and seeing which build runs which complaint. Without it (name "") the
// worker is unversioned, as the dev server and make run use it.
func WithDeployment(name, buildID string) Option {
	return func(b *background) { b.deployment, b.buildID = name, buildID }
}

// deploymentOptions are the SDK's options for the deployment opts name (none: unversioned).
func deploymentOptions(b background) sdkworker.DeploymentOptions {
	if b.deployment == "" {
		return sdkworker.DeploymentOptions{}
	}
	return sdkworker.DeploymentOptions{
		UseVersioning:             true,
		Version:                   sdkworker.WorkerDeploymentVersion{DeploymentName: b.deployment, BuildID: b.buildID},
		DefaultVersioningBehavior: workflow.VersioningBehaviorAutoUpgrade,
	}
}
