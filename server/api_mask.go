package server

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/phone"
)

// maskAPI masks phone numbers in every JSON answer of the API for a user
// who may not see them: a string that is a whole number becomes
// phone.Masked, and numbers inside any other string (a message, an error,
// an attribute) are masked with phone.MaskText. It works on the answer, not
// on each handler, so a field added later cannot leak numbers. Other
// answers (CSV, media) pass through; the exports mask themselves.
func (s *Server) maskAPI() gin.HandlerFunc {
	return func(c *gin.Context) {
		if !masksNumbers(c) {
			c.Next()
			return
		}
		w := &maskingWriter{ResponseWriter: c.Writer}
		c.Writer = w
		c.Next()
		w.finish()
	}
}

// maskingWriter holds back a JSON body until the handler is done.
type maskingWriter struct {
	gin.ResponseWriter
	buf     bytes.Buffer
	holding bool
	decided bool
}

func (w *maskingWriter) decide() {
	if !w.decided {
		w.decided = true
		w.holding = strings.HasPrefix(w.Header().Get("Content-Type"), "application/json")
	}
}

func (w *maskingWriter) Write(b []byte) (int, error) {
	w.decide()
	if w.holding {
		return w.buf.Write(b)
	}
	return w.ResponseWriter.Write(b)
}

func (w *maskingWriter) WriteString(s string) (int, error) { return w.Write([]byte(s)) }

func (w *maskingWriter) finish() {
	if !w.holding {
		return
	}
	var v any
	d := json.NewDecoder(bytes.NewReader(w.buf.Bytes()))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		logrus.WithFields(logrus.Fields{"error": err}).Error("server: unable to mask an API answer")
		w.ResponseWriter.Write([]byte(`{"error":"internal error; the details are in error.log"}`))
		return
	}
	out, err := json.Marshal(maskValue(v))
	if err != nil {
		logrus.WithFields(logrus.Fields{"error": err}).Error("server: unable to mask an API answer")
		w.ResponseWriter.Write([]byte(`{"error":"internal error; the details are in error.log"}`))
		return
	}
	w.ResponseWriter.Write(out)
}

var wholeNumber = regexp.MustCompile(`^\+[0-9]{7,15}$`)

func maskValue(v any) any {
	switch x := v.(type) {
	case string:
		if wholeNumber.MatchString(x) {
			return phone.Masked(x)
		}
		return phone.MaskText(x)
	case []any:
		for i := range x {
			x[i] = maskValue(x[i])
		}
	case map[string]any:
		for k, e := range x {
			x[k] = maskValue(e)
		}
	}
	return v
}
