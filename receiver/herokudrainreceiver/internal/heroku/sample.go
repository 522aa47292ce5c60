package heroku

import "strconv"

// Numbers with a unit suffix, as Heroku and l2met write them: 180.43MB,
// 348836pages, 16012956319bytes, 15405636.0kB, 0.9239, 12ms.

// ParseSample splits a logged value into its number and its unit suffix,
// which is returned as written (nil when absent).
//
// Grammar: [+-] digits [. digits] [(e|E) [+-] digits] unit, with at least one
// digit before or after the point. Choices, where l2met differs:
//   - A leading '-' is accepted (l2met rejects negatives, but a negative
//     gauge from an app is meaningful and harmless).
//   - An exponent is read only when 'e' is followed by a digit (or a sign and
//     a digit): "1e3" is 1000, while "5eggs" is 5 with unit "eggs".
//   - The unit may hold ASCII letters, '%' and '/' ("req/s"); anything else
//     makes the whole value invalid rather than silently truncated.
//   - NaN and Inf are not numbers here: they have no digits, and values
//     beyond float64 range are rejected rather than turned into ±Inf.
//
// It does not allocate: values with at most 19 significant digits and a
// decimal exponent within ±22 (every value Heroku writes) are converted
// exactly without strconv; longer ones go through strconv.ParseFloat.
// BenchmarkParseSample measures why: on the values of a Postgres line this
// is about 4x faster than extent scanning plus strconv.ParseFloat (125 vs
// 500 ns for eight values), and ParseAddon about 1.7x.
func ParseSample(b []byte) (v float64, unit []byte, ok bool) {
	v, n, ok := sampleNumber(b)
	if !ok {
		return 0, nil, false
	}
	if n == len(b) {
		return v, nil, true
	}
	for _, c := range b[n:] {
		if !sampleUnitByte(c) {
			return 0, nil, false
		}
	}
	return v, b[n:], true
}

func sampleUnitByte(c byte) bool {
	return (c|0x20) >= 'a' && (c|0x20) <= 'z' || c == '%' || c == '/'
}

// samplePow10 holds the powers of ten that float64 represents exactly.
var samplePow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// sampleNumber reads the leading number of b and returns it with the count
// of bytes it used.
func sampleNumber(b []byte) (v float64, n int, ok bool) {
	i := 0
	neg := false
	if i < len(b) && (b[i] == '-' || b[i] == '+') {
		neg = b[i] == '-'
		i++
	}
	var mant uint64
	digits, sig, exp := 0, 0, 0
	exact := true
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		digits++
		if mant == 0 && b[i] == '0' {
			continue
		}
		if sig < 19 {
			mant = mant*10 + uint64(b[i]-'0')
			sig++
		} else {
			exp++ // dropped integer digit
			exact = false
		}
	}
	if i < len(b) && b[i] == '.' {
		i++
		for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
			digits++
			if mant == 0 && b[i] == '0' {
				exp--
				continue
			}
			if sig < 19 {
				mant = mant*10 + uint64(b[i]-'0')
				sig++
				exp--
			} else if b[i] != '0' {
				exact = false
			}
		}
	}
	if digits == 0 {
		return 0, 0, false
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		var e int
		e, i = sampleExponent(b, i)
		exp += e
	}
	v, ok = exactFloat(mant, exp, exact)
	if !ok {
		// Too many digits or a large exponent. The grammar above already
		// holds, so the only error left is range: reject ±Inf and
		// underflow rather than pass them on as metric values.
		f, err := strconv.ParseFloat(string(b[:i]), 64)
		if err != nil {
			return 0, 0, false
		}
		return f, i, true
	}
	if neg && v != 0 {
		v = -v
	}
	return v, i, true
}

// sampleExponent reads the exponent whose 'e' or 'E' is b[i]: an optional
// sign and digits. It returns the exponent and the index after it, or 0
// and i when no digit follows ("5eggs" is 5 with unit "eggs").
func sampleExponent(b []byte, i int) (e, next int) {
	j := i + 1
	neg := false
	if j < len(b) && (b[j] == '-' || b[j] == '+') {
		neg = b[j] == '-'
		j++
	}
	if j >= len(b) || b[j] < '0' || b[j] > '9' {
		return 0, i
	}
	for ; j < len(b) && b[j] >= '0' && b[j] <= '9'; j++ {
		if e < 10000 {
			e = e*10 + int(b[j]-'0')
		}
	}
	if neg {
		e = -e
	}
	return e, j
}

// exactFloat is mant×10^exp when float64 holds it exactly (no digit was
// dropped, mant within 2^53, |exp| <= 22); ok is false otherwise.
func exactFloat(mant uint64, exp int, exact bool) (v float64, ok bool) {
	switch {
	case mant == 0:
		return 0, true
	case exact && mant <= 1<<53 && exp >= 0 && exp <= 22:
		return float64(mant) * samplePow10[exp], true
	case exact && mant <= 1<<53 && exp < 0 && exp >= -22:
		return float64(mant) / samplePow10[-exp], true
	}
	return 0, false
}

// Unit conversion: the one table that maps Heroku and l2met unit suffixes to
// UCUM units and a factor into that unit's base.
//
// Byte multiples are binary (×1024), for both spellings:
//   - MB is MiB. Runtime metrics read the dyno's memory cgroup and divide
//     by 1024²: a Standard-1X (512 MB) dyno reports
//     sample#memory_quota=512.00MB, which is its cgroup limit of
//     536,870,912 bytes only if MB = 2^20; with decimal MB it would read
//     536.87MB. R14's "mem=590M(115.2%)" agrees (590/512 = 1.152).
//   - kB is KiB. Postgres and Redis memory-* samples are /proc/meminfo
//     fields, which the kernel prints in units of 1024 bytes under the label
//     "kB" (memory-total=31328356kB is a ~30 GiB server).
//
// The same factors apply to l2met app units; an app that means decimal MB
// is off by 4.9%, which is the lesser risk than misreading Heroku's own.
var unitTable = [...]struct {
	raw    string
	ucum   string
	factor float64
}{
	{"", "1", 1},
	{"B", "By", 1},
	{"byte", "By", 1},
	{"bytes", "By", 1},
	{"kB", "By", 1 << 10},
	{"KB", "By", 1 << 10},
	{"KiB", "By", 1 << 10},
	{"MB", "By", 1 << 20},
	{"MiB", "By", 1 << 20},
	{"GB", "By", 1 << 30},
	{"GiB", "By", 1 << 30},
	{"TB", "By", 1 << 40},
	{"TiB", "By", 1 << 40},
	{"page", "{page}", 1},
	{"pages", "{page}", 1},
	{"ns", "s", 1e-9},
	{"us", "s", 1e-6},
	{"ms", "s", 1e-3},
	{"s", "s", 1},
	{"sec", "s", 1},
	{"min", "s", 60},
	{"h", "s", 3600},
	{"%", "%", 1},
}

// NormalizeUnit maps a unit suffix as logged to a UCUM unit and the factor
// that converts a value into it ("MB" → "By", 1048576; "ms" → "s", 0.001;
// no suffix → "1", 1). ok is false for suffixes not in the table, such as
// an app's own "req"; callers then keep the value and the raw suffix.
func NormalizeUnit(unit []byte) (ucum string, factor float64, ok bool) {
	for i := range unitTable {
		if string(unit) == unitTable[i].raw {
			return unitTable[i].ucum, unitTable[i].factor, true
		}
	}
	return "", 1, false
}

// Normalize converts v, logged with unit, into NormalizeUnit's UCUM unit.
// For an unknown unit it returns v unchanged, "" and false.
func Normalize(v float64, unit []byte) (float64, string, bool) {
	ucum, f, ok := NormalizeUnit(unit)
	return v * f, ucum, ok
}

// MetricKind says how a sample behaves over time, which decides the OTel
// instrument the receiver builds.
type MetricKind uint8

const (
	// MetricGauge is a point-in-time value (memory, load, ratios).
	MetricGauge MetricKind = iota
	// MetricCounter is a cumulative, monotonic total since some start
	// (pgpgin/pgpgout), so rates can be taken from it.
	MetricCounter
)

// MetricInfo describes one Heroku sample# key and the metric it becomes.
// Tables of these (RuntimeTable, AddonTable) say which key becomes which
// metric and in which unit its value is normalised; the metrics themselves
// (description, type, attributes) are declared in the receiver's
// metadata.yaml, and tests check that table and declaration agree.
type MetricInfo struct {
	Key string // as logged after "sample#", e.g. "memory_rss", "read-iops"
	// Name is the declared metric an AddonTable key feeds (the receiver
	// finds its generated Record method by this name). RuntimeTable leaves
	// it empty: each runtime sample has its own Record method.
	Name string
	Unit string     // UCUM unit of the normalised value ("By", "1", "{connection}")
	Kind MetricKind // gauge or cumulative counter
	// AttrKey and AttrValue, when set, name the one attribute that tells
	// apart keys sharing Name (read-iops and write-iops are one metric
	// with disk.io.direction=read|write).
	AttrKey, AttrValue string
}
