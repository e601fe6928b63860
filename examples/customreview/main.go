// Command customreview applies a review rule of its own: a permission set
// (AdministratorAccess unless -permission-set says otherwise) may be held
// only by the members of one group (-allowed-group, default Admins). It lists
// every offender with the paths that grant the access.
//
//	go run ./examples/customreview                      # the demo organisation
//	go run ./examples/customreview -region eu-west-1 -allowed-group Platform-Admins
//
// Exit status: 0 when nobody offends, 1 when someone does, 2 on an error.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/awsidc/awsidc"
	"github.com/awsidc/awsidc/awsidctest"
	"github.com/awsidc/awsidc/examples/customreview/adminrule"
	"github.com/awsidc/awsidc/identitycenter"
	"github.com/awsidc/awsidc/permissions"
	"github.com/awsidc/awsidc/review"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("customreview", flag.ContinueOnError)
	fs.SetOutput(stderr)
	set := fs.String("permission-set", "AdministratorAccess", "permission set name to guard")
	group := fs.String("allowed-group", "Admins", "the only group whose members may hold it")
	region := fs.String("region", "", "AWS Region of the instance (default: the demo organisation)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}

	fail := func(err error) int {
		fmt.Fprintln(stderr, "customreview:", err)
		return 2
	}
	snap, err := collect(ctx, *region)
	if err != nil {
		return fail(err)
	}
	offenders, err := adminrule.Offenders(snap, *set, *group)
	if err != nil {
		return fail(err)
	}
	return report(stdout, offenders)
}

// collect reads a snapshot of the instance in region, or of the demo
// organisation when region is empty. Tests of the rule use awsidctest the
// same way, with an organisation of their own.
func collect(ctx context.Context, region string) (*review.Snapshot, error) {
	var dir review.Directory
	var perms review.Permissions
	if region == "" {
		org := awsidctest.Demo()
		dir = identitycenter.New(org.IdentityStore(), org.IdentityStoreID())
		perms = permissions.New(org.SSOAdmin(), org.Organizations(), org.InstanceARN())
	} else {
		conn, err := awsidc.New(ctx, awsidc.Config{Region: region})
		if err != nil {
			return nil, err
		}
		dir, perms = conn.IdentityCenter(), conn.Permissions()
	}
	return review.Collect(ctx, dir, perms, review.Options{})
}

// report prints one line per offending access and returns the exit status.
func report(w io.Writer, offenders []review.Access) int {
	if len(offenders) == 0 {
		fmt.Fprintln(w, "no offenders")
		return 0
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "USER\tACCOUNT\tPERMISSION SET\tGRANTED BY")
	for _, a := range offenders {
		fmt.Fprintf(tw, "%s\t%s %s\t%s\t%s\n", a.UserName, a.AccountID, a.AccountName,
			a.PermissionSetName, review.ViaString(a.Via))
	}
	tw.Flush()
	return 1
}
