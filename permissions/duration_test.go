package permissions_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awsidc/awsidc/permissions"
)

var durationTests = []struct {
	in      string
	want    time.Duration
	wantErr bool
}{
	{in: "PT1H", want: time.Hour},
	{in: "PT8H", want: 8 * time.Hour},
	{in: "PT12H", want: 12 * time.Hour},
	{in: "PT1H30M", want: 90 * time.Minute},
	{in: "PT90M", want: 90 * time.Minute},
	{in: "PT3600S", want: time.Hour},
	{in: "PT1H0M0S", want: time.Hour},
	{in: "PT0.5H", want: 30 * time.Minute},
	{in: "PT1.5S", want: 1500 * time.Millisecond},
	{in: "P1D", want: 24 * time.Hour},
	{in: "P1DT2H", want: 26 * time.Hour},
	{in: "PT0S", want: 0},
	{in: "PT1000000H", want: 1000000 * time.Hour},

	{in: "", wantErr: true},
	{in: "P", wantErr: true},
	{in: "PT", wantErr: true},
	{in: "1H", wantErr: true},
	{in: "T1H", wantErr: true},
	{in: "pt1h", wantErr: true},
	{in: "PT1", wantErr: true},
	{in: "PTH", wantErr: true},
	{in: "PT-1H", wantErr: true},
	{in: "P1H", wantErr: true},   // hours belong after T
	{in: "PT1D", wantErr: true},  // days belong before T
	{in: "P1M", wantErr: true},   // months are not accepted
	{in: "P1Y", wantErr: true},   // nor years
	{in: "P1W", wantErr: true},   // nor weeks
	{in: "PTT1H", wantErr: true}, // a second T
	{in: "PT1..5H", wantErr: true},
	{in: "PT.H", wantErr: true},
	{in: "PT1E3S", wantErr: true},
	{in: "PT 1H", wantErr: true},
	{in: "PT2000000H", wantErr: true}, // beyond the bound on one number
	// Each number is in bounds, but the total does not fit a time.Duration.
	{in: "P1000000D", wantErr: true},
	{in: "P200000D", wantErr: true},
	{in: "PT1000000H1000000H1000000H", wantErr: true},
}

func TestParseDuration(t *testing.T) {
	for _, tt := range durationTests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := permissions.ParseDuration(tt.in)
			if tt.wantErr {
				require.Error(t, err, "got %v", got)
				assert.Zero(t, got)
				assert.Contains(t, err.Error(), fmt.Sprintf("%q", tt.in),
					"the error names the input")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func FuzzParseDuration(f *testing.F) {
	for _, tt := range durationTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := permissions.ParseDuration(s)
		if err != nil {
			if d != 0 {
				t.Errorf("ParseDuration(%q) = %v with error %v, want 0", s, d, err)
			}
			return
		}
		if d < 0 {
			t.Errorf("ParseDuration(%q) = %v, want a non-negative duration", s, d)
		}
		if !strings.HasPrefix(s, "P") {
			t.Errorf("ParseDuration(%q) accepted a value not starting with P", s)
		}

		// Whole seconds read back the same when written as seconds.
		if d%time.Second == 0 {
			again, err := permissions.ParseDuration(fmt.Sprintf("PT%dS", d/time.Second))
			if err == nil && again != d {
				t.Errorf("ParseDuration(%q) = %v but PT%dS = %v", s, d, d/time.Second, again)
			}
		}
	})
}
