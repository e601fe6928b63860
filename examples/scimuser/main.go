// Command scimuser shows, suspends, reactivates or deprovisions one IAM
// Identity Center user over SCIM, or lists the user's groups, and prints the
// result as JSON.
//
//	go run ./examples/scimuser \
//	    -endpoint https://scim.us-east-1.amazonaws.com/<tenant>/scim/v2/ \
//	    show alice@example.com
//	go run ./examples/scimuser -endpoint URL -token-env MY_TOKEN suspend alice@example.com
//
// Actions: show, suspend, reactivate, deprovision and groups. The bearer
// token is read from $SCIM_TOKEN, or from the variable -token-env names.
// suspend, reactivate and show print the user after the action; deprovision
// prints the user as it was before it was deleted, since it is gone after;
// groups prints the user's groups.
//
// Deprovisioning deletes the user and, in AWS, the user's assignments: it
// cannot be undone. Suspend instead when the decision may be reversed.
//
// Exit status: 0 on success, 1 on a runtime error, 2 on a usage error.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/awsidc/awsidc/scim"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}

// usageError is a problem with the command line: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

var actions = map[string]bool{
	"show": true, "suspend": true, "reactivate": true, "deprovision": true, "groups": true,
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer,
	getenv func(string) string) int {
	err := runErr(ctx, args, stdout, stderr, getenv)
	var ue *usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintln(stderr, "scimuser:", err)
		fmt.Fprintln(stderr, "usage: scimuser -endpoint URL [-token-env VAR] "+
			"show|suspend|reactivate|deprovision|groups USERNAME")
		return 2
	default:
		fmt.Fprintln(stderr, "scimuser:", err)
		return 1
	}
}

func runErr(ctx context.Context, args []string, stdout, stderr io.Writer,
	getenv func(string) string) error {
	fs := flag.NewFlagSet("scimuser", flag.ContinueOnError)
	fs.SetOutput(stderr)
	endpoint := fs.String("endpoint", "",
		"SCIM endpoint, https://scim.<region>.amazonaws.com/<tenant>/scim/v2/")
	tokenEnv := fs.String("token-env", "SCIM_TOKEN", "environment variable holding the token")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &usageError{err.Error()}
	}
	if fs.NArg() != 2 || !actions[fs.Arg(0)] {
		return &usageError{"want an action and a user name"}
	}
	if *endpoint == "" {
		return &usageError{"-endpoint is required"}
	}
	token := getenv(*tokenEnv)
	if token == "" {
		return &usageError{fmt.Sprintf("$%s is empty: set it to the SCIM bearer token",
			*tokenEnv)}
	}
	c, err := scim.New(*endpoint, token)
	if err != nil {
		return &usageError{err.Error()}
	}

	action, userName := fs.Arg(0), fs.Arg(1)
	u, err := c.UserByUserName(ctx, userName)
	if err != nil {
		return fmt.Errorf("find user %q: %w", userName, err)
	}

	var out any
	switch action {
	case "show":
		out = u
	case "suspend", "reactivate":
		if action == "suspend" {
			err = c.Suspend(ctx, u.ID)
		} else {
			err = c.Reactivate(ctx, u.ID)
		}
		if err != nil {
			return fmt.Errorf("%s %q: %w", action, userName, err)
		}
		if out, err = c.User(ctx, u.ID); err != nil {
			return fmt.Errorf("read %q after %s: %w", userName, action, err)
		}
	case "deprovision":
		if err := c.Deprovision(ctx, u.ID); err != nil {
			return fmt.Errorf("deprovision %q: %w", userName, err)
		}
		out = u
	case "groups":
		groups := []scim.Group{}
		for g, err := range c.UserGroups(ctx, u.ID) {
			if err != nil {
				return fmt.Errorf("groups of %q: %w", userName, err)
			}
			groups = append(groups, g)
		}
		out = groups
	}

	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
