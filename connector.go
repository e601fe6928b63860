package awsidc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsidc/awsidc/identitycenter"
	"github.com/awsidc/awsidc/internal/awscall"
	"github.com/awsidc/awsidc/internal/validate"
	"github.com/awsidc/awsidc/permissions"
	"github.com/awsidc/awsidc/scim"
)

// DefaultSessionDuration is the assumed-role session length used when
// Config.SessionDuration is zero.
const DefaultSessionDuration = time.Hour

// Config says which Identity Center instance to reach and how. Only Region
// is required (it may also come from the environment or the base AWS config).
type Config struct {
	// Region is the AWS Region of the Identity Center instance.
	Region string

	// InstanceARN is the Identity Center instance. When empty it is
	// discovered, provided the caller sees exactly one instance.
	InstanceARN string
	// IdentityStoreID is the instance's identity store. When empty it is
	// discovered from the instance.
	IdentityStoreID string

	// RoleARN, when set, is assumed for every call, with ExternalID when the
	// role's trust policy asks for one.
	RoleARN    string
	ExternalID Secret
	// SessionDuration is the assumed-role session length: 15 minutes to 12
	// hours; zero means DefaultSessionDuration. Credentials are refreshed
	// before they expire, so long runs need no longer sessions.
	SessionDuration time.Duration
	// RoleSessionName names the session in CloudTrail; default "awsidc".
	RoleSessionName string

	// AWS, when set, is the base AWS configuration (credentials, endpoint,
	// HTTP client). Otherwise the SDK's default chain is loaded, which also
	// honours AWS_ENDPOINT_URL and the other standard variables.
	AWS *aws.Config
	// EndpointURL, when set, sends every AWS call to this endpoint, such as
	// an emulator on 127.0.0.1.
	EndpointURL string

	// SCIMEndpoint and SCIMToken reach the instance's SCIM endpoint, for user
	// lifecycle changes. Both or neither.
	SCIMEndpoint string
	SCIMToken    Secret

	// Rates are the per-bucket throttle limits calls are paced to; zero
	// means AWS's documented limits.
	Rates Rates
	// MaxAttempts is how often a call is tried; zero means 10.
	MaxAttempts int

	// Logger receives debug records; nil discards them. Secrets are never
	// logged.
	Logger *slog.Logger
}

// Rates are AWS throttle limits in requests per second. AWS raises them on
// request, so each can be set; zero fields take AWS's documented limits.
type Rates struct {
	// SSOAdmin is shared by every SSO Admin operation (20 TPS).
	SSOAdmin float64
	// IdentityStore applies to each Identity Store operation (20 TPS each).
	IdentityStore float64
	// ListAccounts is Organizations' ListAccounts limit (8 per second).
	ListAccounts float64
	// Organizations applies to each other Organizations operation (20).
	Organizations float64
	// Burst is how much time's worth of calls a bucket may send at once
	// after a pause; zero means 50ms, which at AWS's rates is one call.
	Burst time.Duration
}

func (r Rates) internal() awscall.Rates {
	d := awscall.DefaultRates
	pick := func(v, def float64) float64 {
		if v > 0 {
			return v
		}
		return def
	}
	return awscall.Rates{
		SSOAdmin:      pick(r.SSOAdmin, d.SSOAdmin),
		IdentityStore: pick(r.IdentityStore, d.IdentityStore),
		ListAccounts:  pick(r.ListAccounts, d.ListAccounts),
		Organizations: pick(r.Organizations, d.Organizations),
		Burst:         r.Burst,
	}
}

// FieldError is one problem with one Config field.
type FieldError struct {
	Field string
	Err   error
}

// Error names the field and its problem.
func (e *FieldError) Error() string { return e.Field + ": " + e.Err.Error() }

// Unwrap returns the problem.
func (e *FieldError) Unwrap() error { return e.Err }

// ConfigError lists every problem found in a Config, so all of them can be
// fixed at once. Values that may be secret are never quoted.
type ConfigError struct {
	Problems []*FieldError
}

// Error lists every problem in one line.
func (e *ConfigError) Error() string {
	msgs := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		msgs[i] = p.Error()
	}
	return "awsidc: invalid config: " + strings.Join(msgs, "; ")
}

// Validate checks every field of c that can be checked without calling AWS
// and returns a *ConfigError listing all problems, or nil.
func (c Config) Validate() error {
	var probs []*FieldError
	check := func(field string, set bool, err func() error) {
		if !set {
			return
		}
		if e := err(); e != nil {
			probs = append(probs, &FieldError{Field: field, Err: e})
		}
	}
	check("Region", c.Region != "", func() error { return validate.Region(c.Region) })
	check("InstanceARN", c.InstanceARN != "", func() error {
		return errors.Join(validate.InstanceARN(c.InstanceARN),
			validate.SamePartition(c.InstanceARN, c.Region))
	})
	check("IdentityStoreID", c.IdentityStoreID != "",
		func() error { return validate.IdentityStoreID(c.IdentityStoreID) })
	check("RoleARN", c.RoleARN != "", func() error {
		return errors.Join(validate.RoleARN(c.RoleARN), validate.SamePartition(c.RoleARN, c.Region))
	})
	check("ExternalID", c.ExternalID != "",
		func() error { return validate.ExternalID(c.ExternalID.Reveal()) })
	check("ExternalID", c.ExternalID != "" && c.RoleARN == "",
		func() error { return errors.New("set without RoleARN") })
	check("SessionDuration", c.SessionDuration != 0,
		func() error { return validate.SessionDuration(c.SessionDuration) })
	check("RoleSessionName", c.RoleSessionName != "",
		func() error { return validate.RoleSessionName(c.RoleSessionName) })
	check("EndpointURL", c.EndpointURL != "",
		func() error { return validate.Endpoint(c.EndpointURL) })
	check("SCIMEndpoint", c.SCIMEndpoint != "",
		func() error { return validate.Endpoint(c.SCIMEndpoint) })
	check("SCIMToken", (c.SCIMEndpoint == "") != (c.SCIMToken == ""),
		func() error { return errors.New("SCIMEndpoint and SCIMToken go together") })
	check("MaxAttempts", c.MaxAttempts < 0,
		func() error { return errors.New("must not be negative") })
	if len(probs) > 0 {
		return &ConfigError{Problems: probs}
	}
	return nil
}

// Connector holds the clients of one Identity Center instance. It is safe
// for concurrent use.
type Connector struct {
	aws             aws.Config
	instanceARN     string
	identityStoreID string
	pacer           *awscall.Pacer
	logger          *slog.Logger

	identityStore *identitystore.Client
	ssoAdmin      *ssoadmin.Client
	organizations *organizations.Client

	identityCenter *identitycenter.Client
	permissions    *permissions.Client
	scim           *scim.Client
}

// New validates cfg, builds credentials (assuming cfg.RoleARN when set,
// refreshed before expiry), discovers the instance and identity store when
// they are not given, and returns a Connector. An invalid cfg gives a
// *ConfigError before any call is made.
//
// When AWS refuses a call of the identitycenter or permissions client
// because its security token has expired, the cached credentials are
// dropped and the call is tried once more with fresh ones.
func New(ctx context.Context, cfg Config) (*Connector, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}

	base, err := baseConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if cfg.RoleARN != "" {
		base.Credentials = assumeRole(base, cfg)
	}

	c := &Connector{
		aws:    base,
		pacer:  awscall.NewPacer(cfg.Rates.internal()),
		logger: logger,
	}
	// The connector's clients retry through awscall, which paces every
	// attempt; the SDK's own retries would go around the pacing.
	noRetry := func() aws.Retryer { return aws.NopRetryer{} }
	c.identityStore = identitystore.NewFromConfig(base, func(o *identitystore.Options) {
		o.Retryer = noRetry()
	})
	c.ssoAdmin = ssoadmin.NewFromConfig(base, func(o *ssoadmin.Options) { o.Retryer = noRetry() })
	c.organizations = organizations.NewFromConfig(base, func(o *organizations.Options) {
		o.Retryer = noRetry()
	})

	retryer := awscall.NewRetryer(cfg.MaxAttempts)
	// An expired-token answer drops the cached credentials and retries.
	refresh := awscall.WithInvalidate(base.Credentials)
	if err := c.discover(ctx, cfg, identitycenter.WithPacer(c.pacer),
		identitycenter.WithRetryer(retryer), refresh); err != nil {
		return nil, err
	}
	c.identityCenter = identitycenter.New(c.identityStore, c.identityStoreID,
		identitycenter.WithPacer(c.pacer), identitycenter.WithRetryer(retryer), refresh)
	c.permissions = permissions.New(c.ssoAdmin, c.organizations, c.instanceARN,
		permissions.WithPacer(c.pacer),
		permissions.WithRetryer(awscall.NewRetryer(cfg.MaxAttempts, "ConflictException")),
		refresh)
	if cfg.SCIMEndpoint != "" {
		c.scim, err = scim.New(cfg.SCIMEndpoint, cfg.SCIMToken.Reveal(), scim.WithLogger(logger))
		if err != nil {
			return nil, &ConfigError{Problems: []*FieldError{{Field: "SCIMEndpoint", Err: err}}}
		}
	}
	logger.DebugContext(ctx, "awsidc connector ready",
		slog.String("instance", c.instanceARN), slog.String("identity_store", c.identityStoreID))
	return c, nil
}

func baseConfig(ctx context.Context, cfg Config) (aws.Config, error) {
	var base aws.Config
	if cfg.AWS != nil {
		base = cfg.AWS.Copy()
	} else {
		var opts []func(*config.LoadOptions) error
		if cfg.Region != "" {
			opts = append(opts, config.WithRegion(cfg.Region))
		}
		loaded, err := config.LoadDefaultConfig(ctx, opts...)
		if err != nil {
			return aws.Config{}, fmt.Errorf("awsidc: load AWS configuration: %w", err)
		}
		base = loaded
	}
	if cfg.Region != "" {
		base.Region = cfg.Region
	}
	if cfg.EndpointURL != "" {
		base.BaseEndpoint = aws.String(cfg.EndpointURL)
	}
	if base.Region == "" {
		return aws.Config{}, &ConfigError{Problems: []*FieldError{{Field: "Region",
			Err: errors.New("not set here, in AWS_REGION or in the AWS config")}}}
	}
	return base, nil
}

func assumeRole(base aws.Config, cfg Config) aws.CredentialsProvider {
	duration := cfg.SessionDuration
	if duration == 0 {
		duration = DefaultSessionDuration
	}
	name := cfg.RoleSessionName
	if name == "" {
		name = "awsidc"
	}
	provider := stscreds.NewAssumeRoleProvider(sts.NewFromConfig(base), cfg.RoleARN,
		func(o *stscreds.AssumeRoleOptions) {
			o.Duration = duration
			o.RoleSessionName = name
			if cfg.ExternalID != "" {
				o.ExternalID = aws.String(cfg.ExternalID.Reveal())
			}
		})
	// Refresh well before expiry so that a long crawl never signs a request
	// with credentials about to lapse.
	return aws.NewCredentialsCache(provider, func(o *aws.CredentialsCacheOptions) {
		o.ExpiryWindow = min(duration/5, 5*time.Minute)
		o.ExpiryWindowJitterFrac = 0.2
	})
}

// discover fills in the instance ARN and identity store id that cfg leaves
// empty, from ListInstances.
func (c *Connector) discover(ctx context.Context, cfg Config, opts ...identitycenter.Option) error {
	c.instanceARN, c.identityStoreID = cfg.InstanceARN, cfg.IdentityStoreID
	if c.instanceARN != "" && c.identityStoreID != "" {
		return nil
	}
	var found []identitycenter.Instance
	for inst, err := range identitycenter.Instances(ctx, c.ssoAdmin, opts...) {
		if err != nil {
			return fmt.Errorf("awsidc: discover Identity Center instance: %w", err)
		}
		found = append(found, inst)
	}
	inst, err := pickInstance(found, c.instanceARN)
	if err != nil {
		return err
	}
	c.instanceARN = inst.ARN
	if c.identityStoreID == "" {
		c.identityStoreID = inst.IdentityStoreID
	}
	return nil
}

// ErrInstance is matched by errors.Is when the instance cannot be chosen:
// none is visible, several are and none was named, or the named one is not
// among them.
var ErrInstance = errors.New("awsidc: cannot choose an Identity Center instance")

func pickInstance(found []identitycenter.Instance, want string) (identitycenter.Instance, error) {
	arns := make([]string, len(found))
	for i, inst := range found {
		if want != "" && inst.ARN == want {
			return inst, nil
		}
		arns[i] = inst.ARN
	}
	switch {
	case want != "":
		return identitycenter.Instance{},
			fmt.Errorf("%w: %s is not among %v", ErrInstance, want, arns)
	case len(found) == 0:
		return identitycenter.Instance{}, fmt.Errorf("%w: no instance is visible", ErrInstance)
	case len(found) > 1:
		return identitycenter.Instance{}, fmt.Errorf(
			"%w: %d instances, set Config.InstanceARN to one of %s",
			ErrInstance, len(found), strings.Join(arns, ", "))
	}
	return found[0], nil
}

// InstanceARN returns the instance the connector works on.
func (c *Connector) InstanceARN() string { return c.instanceARN }

// IdentityStoreID returns the instance's identity store id.
func (c *Connector) IdentityStoreID() string { return c.identityStoreID }

// IdentityCenter returns the client for users, groups and memberships.
func (c *Connector) IdentityCenter() *identitycenter.Client { return c.identityCenter }

// Permissions returns the client for accounts, permission sets and
// assignments.
func (c *Connector) Permissions() *permissions.Client { return c.permissions }

// Rate returns the rate, in calls per second, that the connector paces the
// throttle bucket of an IAM action to, such as "sso:ListAccountAssignments".
// Pass it as review.Options.Rate so that a snapshot runs as many workers as
// the rate can keep busy.
func (c *Connector) Rate(action string) float64 { return c.pacer.Rate(action) }

// SCIM returns the SCIM client, or nil when the config has no SCIM endpoint.
func (c *Connector) SCIM() *scim.Client { return c.scim }

// AWSConfig returns the AWS configuration the connector's clients use,
// with the assumed-role credentials when a role is configured.
func (c *Connector) AWSConfig() aws.Config { return c.aws.Copy() }
