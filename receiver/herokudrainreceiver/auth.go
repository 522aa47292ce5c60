package herokudrainreceiver // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver"

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/draintoken"
)

// authenticator checks a request's basic-auth credentials and drain token.
// Logplex sends the drain URL's userinfo as Authorization: Basic; the drain
// token is not a secret (it is in `heroku drains` output), so it only narrows
// which drains may post once the credentials passed. Tokens compare
// case-insensitively, as in the herokuapp processor (draintoken.Normalize).
type authenticator struct {
	creds  []credentialDigest
	tokens map[string]struct{}
}

// credentialDigest stores hashes so that every comparison has the same
// length and takes the same time whatever the input.
type credentialDigest struct {
	user, pass [sha256.Size]byte
}

func newAuthenticator(creds []Credential, tokens []string) *authenticator {
	a := &authenticator{}
	for _, c := range creds {
		a.creds = append(a.creds, credentialDigest{
			user: sha256.Sum256([]byte(c.Username)),
			pass: sha256.Sum256([]byte(c.Password)),
		})
	}
	if len(tokens) > 0 {
		a.tokens = make(map[string]struct{}, len(tokens))
		for _, t := range tokens {
			a.tokens[draintoken.Normalize(t)] = struct{}{}
		}
	}
	return a
}

// authResult says whether a request may be ingested.
type authResult int

const (
	authOK authResult = iota
	authUnauthenticated
	authForbidden
)

func (a *authenticator) check(req *http.Request) authResult {
	if len(a.creds) > 0 {
		user, pass, ok := req.BasicAuth()
		if !ok || !a.match(user, pass) {
			return authUnauthenticated
		}
	}
	if a.tokens != nil {
		if _, ok := a.tokens[draintoken.Normalize(req.Header.Get(headerDrainToken))]; !ok {
			return authForbidden
		}
	}
	return authOK
}

// match compares against every credential without stopping early, so timing
// tells nothing about which user or how many characters matched.
func (a *authenticator) match(user, pass string) bool {
	u := sha256.Sum256([]byte(user))
	p := sha256.Sum256([]byte(pass))
	found := 0
	for i := range a.creds {
		found |= subtle.ConstantTimeCompare(u[:], a.creds[i].user[:]) & subtle.ConstantTimeCompare(p[:], a.creds[i].pass[:])
	}
	return found == 1
}
