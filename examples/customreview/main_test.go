package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRunOnTheDemo(t *testing.T) {
	for _, tc := range []struct {
		name     string
		args     []string
		code     int
		contains []string
	}{
		// On-Call gives bob.nguyen AdministratorAccess on production.
		{"offenders", nil, 1, []string{"bob.nguyen", "GROUP:On-Call", "222222222222 production"}},
		{"none", []string{"-permission-set", "Billing", "-allowed-group", "Billing"}, 0,
			[]string{"no offenders"}},
		{"unknown group", []string{"-allowed-group", "Nobody"}, 2, nil},
		{"unknown permission set", []string{"-permission-set", "AdministratorAcess"}, 2, nil},
		{"bad flag", []string{"-nope"}, 2, nil},
		{"help", []string{"-h"}, 0, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(context.Background(), tc.args, &out, &errb)
			assert.Equal(t, tc.code, code, errb.String())
			for _, s := range tc.contains {
				assert.Contains(t, out.String(), s)
			}
			if tc.code == 2 {
				assert.Empty(t, out.String())
				assert.NotEmpty(t, errb.String())
			}
			// Admins members never offend: alice.martin holds it through Admins too.
			assert.NotContains(t, out.String(), "alice.martin")
			assert.False(t, strings.Contains(out.String(), "frank.miller"), "an Admins member")
		})
	}
}
