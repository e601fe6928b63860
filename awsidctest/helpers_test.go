package awsidctest_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	idtypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/stretchr/testify/require"

	"github.com/awsidc/awsidc/awsidctest"
)

// errorAs asserts that err is (or wraps) an error of type T and returns it.
func errorAs[T error](t *testing.T, err error) T {
	t.Helper()
	var target T
	require.Error(t, err)
	require.True(t, errors.As(err, &target), "got %T (%v), want %T", err, err, target)
	return target
}

// addUsers seeds n users named user000, user001, ... and returns their ids.
func addUsers(t testing.TB, o *awsidctest.Org, n int) []string {
	t.Helper()
	ids := make([]string, n)
	for i := range ids {
		name := fmt.Sprintf("user%03d", i)
		id, err := o.AddUser(awsidctest.UserSeed{
			UserName: name, DisplayName: "User " + name, GivenName: "User", FamilyName: name,
			Email: name + "@example.com", ExternalID: "ext-" + name,
		})
		require.NoError(t, err)
		ids[i] = id
	}
	return ids
}

func mustGroup(t testing.TB, o *awsidctest.Org, name string) string {
	t.Helper()
	id, err := o.AddGroup(name, "")
	require.NoError(t, err)
	return id
}

func mustAccount(t testing.TB, o *awsidctest.Org, id, name string) string {
	t.Helper()
	got, err := o.AddAccount(awsidctest.AccountSeed{
		ID: id, Name: name, Email: name + "@example.com",
	})
	require.NoError(t, err)
	return got
}

func mustSet(t testing.TB, o *awsidctest.Org, name string) string {
	t.Helper()
	arn, err := o.AddPermissionSet(awsidctest.PermissionSetSeed{
		Name: name, ManagedPolicies: []string{"arn:aws:iam::aws:policy/ReadOnlyAccess"},
	})
	require.NoError(t, err)
	return arn
}

func member(id string) *idtypes.MemberIdMemberUserId {
	return &idtypes.MemberIdMemberUserId{Value: id}
}

var (
	str = aws.String
	i32 = aws.Int32
)
