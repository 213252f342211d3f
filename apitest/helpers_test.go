package apitest

import "encoding/json"

// rawJSON passes a JSON literal through as a variable's value unchanged.
func rawJSON(s string) json.RawMessage { return json.RawMessage(s) }
