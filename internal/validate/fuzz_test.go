package validate

import (
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// FuzzValidators checks that no validator panics, that none quotes its
// input back (the input may be a secret pasted in the wrong field), and
// that an accepted endpoint is an https URL or http to a loopback host.
func FuzzValidators(f *testing.F) {
	for _, s := range []string{"", "eu-west-1", "123456789012", "d-1234567890",
		"arn:aws:sso:::instance/ssoins-1234567890abcdef",
		"arn:aws:iam::123456789012:role/reader", "https://scim.example.com/t/scim/v2",
		"http://127.0.0.1:8080/", "http://[::1]/x", "https://u:secret-value@h/", "%zz-secret-value",
		"external-id-0123456789"} {
		f.Add(s)
	}
	fns := map[string]func(string) error{
		"InstanceARN": InstanceARN, "PermissionSetARN": PermissionSetARN, "RoleARN": RoleARN,
		"AccountID": AccountID, "Region": Region, "IdentityStoreID": IdentityStoreID,
		"PrincipalID": PrincipalID, "ExternalID": ExternalID, "RoleSessionName": RoleSessionName,
		"Endpoint": Endpoint,
	}
	f.Fuzz(func(t *testing.T, s string) {
		for name, fn := range fns {
			err := fn(s)
			if err == nil {
				continue
			}
			// The fixed part of the message may contain s by chance; the
			// message for a bad input of the same length shows which part.
			if len(s) >= 4 && strings.Contains(err.Error(), s) {
				other := fn(strings.Repeat("\x00", len(s)))
				assert.Contains(t, other.Error(), s, "%s quotes its input", name)
			}
		}
		if Endpoint(s) == nil {
			u, err := url.Parse(s)
			if assert.NoError(t, err) {
				assert.True(t, u.Scheme == "https" || (u.Scheme == "http" &&
					IsLoopback(u.Hostname())), "accepted %q", s)
				assert.Nil(t, u.User)
			}
		}
		if ExternalID(s) == nil {
			assert.False(t, strings.ContainsAny(s, " \t\n\"'"), "accepted %q", s)
		}
	})
}
