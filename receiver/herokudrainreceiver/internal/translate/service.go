package translate // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/translate"

// UnknownServiceName is the service.name of a request whose app is not
// known: no ?app= on the drain URL. The semantic conventions ask for
// "unknown_service" followed by ":" and a process name when the service is
// not known; "heroku" says where the data came from. heroku.drain.token still
// names the drain, and the herokuapp processor replaces this value with the
// app name when its mapping knows the token.
const UnknownServiceName = "unknown_service:heroku"

// serviceName is the resource's service.name: the app when the drain URL
// names it, otherwise UnknownServiceName. It is never empty.
func (r Resource) serviceName() string {
	if r.AppName != "" {
		return r.AppName
	}
	return UnknownServiceName
}
