package awsidc

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awsidc/awsidc/awsidctest"
	"github.com/awsidc/awsidc/internal/mototest"
)

func TestNewDiscoversInstanceOnMoto(t *testing.T) {
	fx := mototest.NewFixture(t)
	uid := fx.CreateUser(t, "ada")

	ctx := context.Background()
	conn, err := New(ctx, Config{AWS: &fx.Config})
	require.NoError(t, err)
	assert.Equal(t, fx.InstanceARN, conn.InstanceARN())
	assert.Equal(t, fx.IdentityStoreID, conn.IdentityStoreID())
	assert.Nil(t, conn.SCIM(), "no SCIM endpoint, no SCIM client")

	u, err := conn.IdentityCenter().User(ctx, uid)
	require.NoError(t, err)
	assert.Equal(t, "ada", u.UserName)
}

func TestNewAssumesRoleOnMoto(t *testing.T) {
	fx := mototest.NewFixture(t)
	fx.CreateUser(t, "grace")

	// The role lives in the fixture's account, so moto keeps serving it.
	conn, err := New(context.Background(), Config{
		AWS:             &fx.Config,
		RoleARN:         "arn:aws:iam::" + fx.AccountID + ":role/access-review",
		ExternalID:      testExternalID,
		SessionDuration: 15 * time.Minute,
	})
	require.NoError(t, err)
	creds, err := conn.AWSConfig().Credentials.Retrieve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "AssumeRoleProvider", creds.Source)
	assert.True(t, creds.CanExpire)

	var names []string
	for u, err := range conn.IdentityCenter().Users(context.Background()) {
		require.NoError(t, err)
		names = append(names, u.UserName)
	}
	assert.Equal(t, []string{"grace"}, names)
}

func TestNewWiresSCIM(t *testing.T) {
	org := awsidctest.NewOrg()
	srv := org.SCIMServer(testToken)
	t.Cleanup(srv.Close)
	_, err := org.AddUser(awsidctest.UserSeed{UserName: "linus", DisplayName: "Linus",
		GivenName: "Linus", FamilyName: "T", Email: "linus@example.com"})
	require.NoError(t, err)

	conn, err := New(context.Background(), Config{
		AWS:             &aws.Config{Region: "us-east-1"},
		InstanceARN:     org.InstanceARN(),
		IdentityStoreID: org.IdentityStoreID(),
		SCIMEndpoint:    srv.URL(),
		SCIMToken:       testToken,
	})
	require.NoError(t, err)
	require.NotNil(t, conn.SCIM())
	u, err := conn.SCIM().UserByUserName(context.Background(), "linus")
	require.NoError(t, err)
	assert.Equal(t, "linus", u.UserName)
	assert.NotContains(t, conn.SCIM().String(), testToken)
}
