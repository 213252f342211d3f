package auth

import (
	"encoding/json"
	"net/http"

	"wisselaar/internal/apierr"
)

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeError answers in the GraphQL error shape, so that clients parse one
// error format whatever refused their request.
func writeError(w http.ResponseWriter, status int, code apierr.Code, message string) {
	writeJSON(w, status, map[string]any{
		"errors": []map[string]any{{"message": message, "extensions": map[string]string{"code": string(code)}}},
	})
}
