package permissions

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// ParseDuration parses the ISO-8601 durations AWS uses for session lengths,
// such as "PT1H", "PT12H" or "PT1H30M". Days are accepted as 24 hours; years,
// months and weeks are not.
func ParseDuration(s string) (time.Duration, error) {
	bad := func() (time.Duration, error) {
		return 0, fmt.Errorf("permissions: invalid ISO-8601 duration %q", s)
	}
	if len(s) < 3 || s[0] != 'P' {
		return bad()
	}
	var total time.Duration
	inTime, seen := false, false
	num := ""
	for _, r := range s[1:] {
		switch {
		case r >= '0' && r <= '9' || r == '.':
			num += string(r)
			continue
		case r == 'T' && !inTime && num == "":
			inTime = true
			continue
		}
		if num == "" {
			return bad()
		}
		v, err := strconv.ParseFloat(num, 64)
		if err != nil || v > 1e6 {
			return bad()
		}
		var unit time.Duration
		switch {
		case r == 'D' && !inTime:
			unit = 24 * time.Hour
		case r == 'H' && inTime:
			unit = time.Hour
		case r == 'M' && inTime:
			unit = time.Minute
		case r == 'S' && inTime:
			unit = time.Second
		default:
			return bad()
		}
		// Each number is bounded, but a day count or a sum can still
		// overflow a time.Duration.
		part := v * float64(unit)
		if part >= float64(math.MaxInt64-total) {
			return bad()
		}
		total += time.Duration(part)
		num, seen = "", true
	}
	if num != "" || !seen {
		return bad()
	}
	return total, nil
}
