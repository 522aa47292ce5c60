package translate // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/translate"

import conventions "go.opentelemetry.io/otel/semconv/v1.43.0"

// Semantic-convention attribute names used on records and points.
var (
	attrHTTPMethod      = string(conventions.HTTPRequestMethodKey)
	attrHTTPMethodOrig  = string(conventions.HTTPRequestMethodOriginalKey)
	attrHTTPStatus      = string(conventions.HTTPResponseStatusCodeKey)
	attrHTTPBodySize    = string(conventions.HTTPResponseBodySizeKey)
	attrURLPath         = string(conventions.URLPathKey)
	attrURLQuery        = string(conventions.URLQueryKey)
	attrURLScheme       = string(conventions.URLSchemeKey)
	attrServerAddress   = string(conventions.ServerAddressKey)
	attrClientAddress   = string(conventions.ClientAddressKey)
	attrNetProtoName    = string(conventions.NetworkProtocolNameKey)
	attrNetProtoVersion = string(conventions.NetworkProtocolVersionKey)
	attrTLSProtoName    = string(conventions.TLSProtocolNameKey)
	attrTLSProtoVersion = string(conventions.TLSProtocolVersionKey)
	attrUserAgent       = string(conventions.UserAgentOriginalKey)
	attrErrorType       = string(conventions.ErrorTypeKey)
	attrProcessExitCode = string(conventions.ProcessExitCodeKey)
	attrProcessCommand  = string(conventions.ProcessCommandLineKey)
	attrUserEmail       = string(conventions.UserEmailKey)
	attrReleaseCommit   = string(conventions.HerokuReleaseCommitKey)
)
