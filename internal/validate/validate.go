// Package validate checks the identifiers awsidc accepts from its users
// before any of them reaches AWS. Each function returns nil or an error
// saying, in a few words, what is wrong; callers add the field's name.
// Values that may be secret are never quoted back.
package validate

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// Pieces the patterns below share.
const (
	partition   = `aws(-[a-z]+)*`
	instanceID  = `(sso)?ins-[a-zA-Z0-9-.]{16}`
	uuidLower   = `[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`
	uuidAnyCase = `[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}`
)

var (
	instanceARN = regexp.MustCompile(`^arn:` + partition + `:sso:::instance/` + instanceID + `$`)
	psARN       = regexp.MustCompile(`^arn:` + partition + `:sso:::permissionSet/` + instanceID +
		`/ps-[a-zA-Z0-9-./]{16}$`)
	roleARN      = regexp.MustCompile(`^arn:` + partition + `:iam::\d{12}:role/[\w+=,.@/-]{1,500}$`)
	accountID    = regexp.MustCompile(`^\d{12}$`)
	region       = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-\d{1,2}$`)
	storeID      = regexp.MustCompile(`^(d-[0-9a-f]{10}|` + uuidLower + `)$`)
	principalID  = regexp.MustCompile(`^([0-9a-f]{10}-|)` + uuidAnyCase + `$`)
	externalID   = regexp.MustCompile(`^[\w+=,.@:/-]+$`)
	sessionName  = regexp.MustCompile(`^[\w+=,.@-]{2,64}$`)
	errMalformed = errors.New("malformed")
)

func match(re *regexp.Regexp, s, want string) error {
	if re.MatchString(s) {
		return nil
	}
	return fmt.Errorf("%w: want %s", errMalformed, want)
}

// InstanceARN checks an Identity Center instance ARN, in any partition.
func InstanceARN(s string) error {
	return match(instanceARN, s, "arn:<partition>:sso:::instance/ssoins-<16 characters>")
}

// PermissionSetARN checks a permission set ARN, in any partition.
func PermissionSetARN(s string) error {
	return match(psARN, s, "arn:<partition>:sso:::permissionSet/ssoins-<id>/ps-<id>")
}

// RoleARN checks an IAM role ARN, in any partition.
func RoleARN(s string) error {
	return match(roleARN, s, "arn:<partition>:iam::<12 digits>:role/<name>")
}

// AccountID checks a 12-digit AWS account id.
func AccountID(s string) error { return match(accountID, s, "12 digits") }

// Region checks the shape of an AWS Region name such as eu-west-1.
func Region(s string) error { return match(region, s, "a Region name such as eu-west-1") }

// IdentityStoreID checks an identity store id such as d-1234567890.
func IdentityStoreID(s string) error {
	return match(storeID, s, "d-<10 hex digits> or a UUID")
}

// PrincipalID checks an Identity Store user or group id.
func PrincipalID(s string) error {
	return match(principalID, s, "an Identity Store id such as 1234567890-<uuid> or a UUID")
}

// ExternalID checks an STS external id: 2 to 1224 characters of letters,
// digits and +=,.@:/-. The value is never quoted back.
func ExternalID(s string) error {
	if n := len(s); n < 2 || n > 1224 {
		return fmt.Errorf("%w: want 2 to 1224 characters, got %d", errMalformed, n)
	}
	return match(externalID, s, "2 to 1224 characters of letters, digits and +=,.@:/-")
}

// RoleSessionName checks an STS role session name.
func RoleSessionName(s string) error {
	return match(sessionName, s, "2 to 64 characters of letters, digits and +=,.@-")
}

// SessionDuration checks an assumed-role session length: 15 minutes to 12
// hours, as STS allows.
func SessionDuration(d time.Duration) error {
	if d < 15*time.Minute || d > 12*time.Hour {
		return fmt.Errorf("%w: want between 15m and 12h, got %s", errMalformed, d)
	}
	return nil
}

// Endpoint checks a service endpoint URL: https, or http to a loopback
// host (for tests against emulators).
func Endpoint(s string) error {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return fmt.Errorf("%w: want an absolute URL", errMalformed)
	}
	if u.User != nil {
		return fmt.Errorf("%w: credentials in the URL are not accepted", errMalformed)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if IsLoopback(u.Hostname()) {
			return nil
		}
		return fmt.Errorf("%w: http is accepted only for loopback hosts; use https", errMalformed)
	}
	return fmt.Errorf("%w: want an https URL", errMalformed)
}

// IsLoopback reports whether host names this machine: localhost or a
// loopback address.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// regionPartitions maps Region name prefixes to the partition they belong
// to; every other Region is in "aws".
var regionPartitions = []struct{ prefix, partition string }{
	{"cn-", "aws-cn"},
	{"us-gov-", "aws-us-gov"},
	{"us-isob-", "aws-iso-b"},
	{"us-isof-", "aws-iso-f"},
	{"eu-isoe-", "aws-iso-e"},
	{"us-iso-", "aws-iso"},
}

// Partition returns the partition of a Region name, such as "aws-cn" for
// cn-north-1.
func Partition(region string) string {
	for _, p := range regionPartitions {
		if strings.HasPrefix(region, p.prefix) {
			return p.partition
		}
	}
	return "aws"
}

// SamePartition checks that arn belongs to region's partition: an ARN of
// another partition can never be reached from that Region.
func SamePartition(arn, region string) error {
	parts := strings.SplitN(arn, ":", 3)
	if len(parts) < 3 || region == "" {
		return nil
	}
	if want := Partition(region); parts[1] != want {
		return fmt.Errorf("%w: partition %s does not match Region %s (partition %s)",
			errMalformed, parts[1], region, want)
	}
	return nil
}
