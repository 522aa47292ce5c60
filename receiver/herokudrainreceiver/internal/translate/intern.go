package translate // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/translate"

import "strconv"

// common holds the header values nearly every frame repeats. Looking a
// []byte up with m[string(b)] does not allocate, so frames whose app-name or
// procid is one of these share one string instead of allocating their own.
var common = func() map[string]string {
	m := map[string]string{}
	for _, s := range []string{
		"app", "heroku", "router", "api", "logplex", "log-shuttle",
		"heroku-postgres", "heroku-redis", "scheduler", "release",
	} {
		m[s] = s
	}
	for _, typ := range []string{"web", "worker", "clock"} {
		for i := 1; i <= 32; i++ {
			s := typ + "." + strconv.Itoa(i)
			m[s] = s
		}
	}
	return m
}()

// intern returns b as a string, without allocating when b is common;
// invalid UTF-8 is replaced (see wireString).
func intern(b []byte) string {
	s, _ := internOK(b)
	return s
}

// internOK is intern that also reports whether b was valid UTF-8.
func internOK(b []byte) (string, bool) {
	if s, ok := common[string(b)]; ok {
		return s, true
	}
	return wireStringOK(b)
}
