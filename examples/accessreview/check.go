package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/awsidc/awsidc"
	"github.com/awsidc/awsidc/awsidctest"
)

// errDenied is returned by check when a feature the review needs is denied:
// exit status 1.
var errDenied = errors.New("the caller's policy denies features the review needs")

// preflightFunc probes the caller's permissions for the named features.
type preflightFunc func(ctx context.Context,
	names ...awsidc.FeatureName) (*awsidc.PreflightReport, error)

// checkPermissions is what -check runs: probe the instance the review would
// read (the demo organisation or the one configured), print the table and
// fail when a feature the review needs is denied.
func checkPermissions(ctx context.Context, o *options, stdout, stderr io.Writer,
	getenv func(string) string) error {
	var probe preflightFunc
	if o.demo || !awsConfigured(o, getenv) {
		fmt.Fprintln(stderr, "accessreview: checking the embedded demo organisation")
		org := awsidctest.Demo()
		target := awsidc.PreflightTarget{
			IdentityStore:   org.IdentityStore(),
			SSOAdmin:        org.SSOAdmin(),
			Organizations:   org.Organizations(),
			InstanceARN:     org.InstanceARN(),
			IdentityStoreID: org.IdentityStoreID(),
		}
		probe = func(ctx context.Context, names ...awsidc.FeatureName) (
			*awsidc.PreflightReport, error) {
			return awsidc.Preflight(ctx, target, names...)
		}
	} else {
		conn, err := awsidc.New(ctx, connectorConfig(o))
		if err != nil {
			return err
		}
		probe = conn.Preflight
	}
	return check(ctx, probe, stdout)
}

// check probes every feature, prints the report and returns an error
// matching errDenied when one of the features a review needs is denied.
// Features the review does not need are reported but never fail the check.
func check(ctx context.Context, probe preflightFunc, stdout io.Writer) error {
	r, err := probe(ctx)
	if err != nil {
		return err
	}
	if err := r.WriteTable(stdout); err != nil {
		return err
	}

	var denied []string
	for _, name := range awsidc.ReviewFeatures() {
		if f, ok := r.Feature(name); ok && f.Status == awsidc.FeatureDenied {
			denied = append(denied, string(name))
		}
	}
	if len(denied) > 0 {
		return fmt.Errorf("%w: %s", errDenied, strings.Join(denied, ", "))
	}
	return nil
}

// connectorConfig is the connector configuration the flags describe.
func connectorConfig(o *options) awsidc.Config {
	return awsidc.Config{
		Region:          o.region,
		InstanceARN:     o.instanceARN,
		RoleARN:         o.roleARN,
		ExternalID:      awsidc.Secret(o.externalID),
		SessionDuration: o.sessionDuration,
		EndpointURL:     o.endpointURL,
	}
}
