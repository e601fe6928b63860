package identitycenter

import (
	"context"
	"iter"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"

	"github.com/awsidc/awsidc/internal/awscall"
)

// InstancesAPI is the SSO Admin operation [Instances] calls. The SDK's
// *ssoadmin.Client implements it.
type InstancesAPI interface {
	ListInstances(context.Context, *ssoadmin.ListInstancesInput,
		...func(*ssoadmin.Options)) (*ssoadmin.ListInstancesOutput, error)
}

var _ InstancesAPI = (*ssoadmin.Client)(nil)

// Instances returns the Identity Center instances visible to the caller, each
// with its identity store id. Each item comes with a nil error; on failure one
// zero value comes with the error and iteration stops. Ranging again starts
// from the first page; breaking out of the loop makes no further call.
func Instances(ctx context.Context, api InstancesAPI, opts ...Option) iter.Seq2[Instance, error] {
	inv := awscall.NewInvoker(nil, opts...)
	page := func(ctx context.Context, token *string) ([]Instance, *string, error) {
		out, err := awscall.Do(ctx, inv, "sso:ListInstances",
			func(ctx context.Context) (*ssoadmin.ListInstancesOutput, error) {
				return api.ListInstances(ctx, &ssoadmin.ListInstancesInput{
					MaxResults: aws.Int32(pageSize),
					NextToken:  token,
				})
			})
		if err != nil {
			return nil, nil, err
		}
		instances := make([]Instance, len(out.Instances))
		for i, m := range out.Instances {
			instances[i] = Instance{
				ARN:             aws.ToString(m.InstanceArn),
				IdentityStoreID: aws.ToString(m.IdentityStoreId),
				Name:            aws.ToString(m.Name),
				OwnerAccountID:  aws.ToString(m.OwnerAccountId),
				Status:          string(m.Status),
			}
		}
		return instances, out.NextToken, nil
	}
	return awscall.Items(ctx, page, func(i Instance) string { return i.ARN })
}
