package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"
)

const maxJSONBody = 1 << 20

// decodeJSON reads a JSON body into v, answering 400 with the reason when it
// is not valid JSON of the right shape. It returns false when it answered.
func decodeJSON(c *gin.Context, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(c.Writer, c.Request.Body, maxJSONBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		var tooBig *http.MaxBytesError
		msg := "invalid JSON body: " + err.Error()
		switch {
		case errors.Is(err, io.EOF):
			msg = "the request body is empty; send a JSON object"
		case errors.As(err, &syn):
			msg = fmt.Sprintf("invalid JSON at byte %d", syn.Offset)
		case errors.As(err, &typ):
			msg = fmt.Sprintf("field %q must be a %s", typ.Field, typ.Type)
		case errors.As(err, &tooBig):
			msg = "the request body is larger than 1 MiB"
		}
		apiError(c, http.StatusBadRequest, msg)
		return false
	}
	// One JSON value, nothing after it: trailing data is a client bug (two
	// objects, a truncated edit) that should not pass silently.
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		apiError(c, http.StatusBadRequest, fmt.Sprintf("the body holds more after its JSON object (from byte %d): send one JSON object", dec.InputOffset()))
		return false
	}
	return true
}
