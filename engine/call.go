package engine

// Call is one tool call as a caller hands it to toolgate: which tool, with
// which arguments, on behalf of whom. It is the "call document" of the docs;
// the engine turns it into the policy input document.
type Call struct {
	Tool      Tool      `json:"tool"`
	Principal Principal `json:"principal"`
	Session   *Session  `json:"session,omitempty"`
	Request   *Request  `json:"request,omitempty"`
}

// Tool names the tool being called and carries its arguments. Arguments hold
// JSON values as produced by ParseCall: map[string]any, []any, string,
// json.Number, bool and nil.
type Tool struct {
	Name        string         `json:"name"`
	Server      string         `json:"server,omitempty"`
	Arguments   map[string]any `json:"arguments"`
	Annotations map[string]any `json:"annotations,omitempty"`
}

// Principal is who the call is made for. An empty ID is an unauthenticated
// principal, which the default policies deny.
type Principal struct {
	ID     string   `json:"id"`
	Roles  []string `json:"roles"`
	Tenant string   `json:"tenant,omitempty"`
}

// Session describes the agent session a call belongs to.
type Session struct {
	ID        string `json:"id,omitempty"`
	Agent     string `json:"agent,omitempty"`
	Model     string `json:"model,omitempty"`
	CallIndex int64  `json:"call_index,omitempty"`
}

// Request describes the transport request that carried the call.
type Request struct {
	ID     string `json:"id,omitempty"`
	Time   string `json:"time,omitempty"`
	Source string `json:"source,omitempty"`
}
