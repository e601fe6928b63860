package awscall

import (
	"errors"
	"time"

	idstypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
)

// RetryAfter reports the wait a server asked for in err's body, if any.
// Identity Store puts RetryAfterSeconds on its throttling and internal
// server errors; the SDK itself does not read it.
func RetryAfter(err error) (time.Duration, bool) {
	var secs int32
	var te *idstypes.ThrottlingException
	var ie *idstypes.InternalServerException
	var ra retryAfterer
	switch {
	case errors.As(err, &te):
		secs = te.RetryAfterSeconds
	case errors.As(err, &ie):
		secs = ie.RetryAfterSeconds
	case errors.As(err, &ra):
		return ra.RetryAfter()
	}
	if secs <= 0 {
		return 0, false
	}
	return time.Duration(secs) * time.Second, true
}
