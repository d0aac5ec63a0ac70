package logging

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"strings"

	"github.com/sirupsen/logrus"
)

// Coder is an error that carries a machine-readable code.
type Coder interface{ Code() string }

// Formatter writes one line per entry:
// `[2024-01-15T10:30:01.245Z] [INFO ] message {"field":"value"}`.
// An `error` field is expanded into message, code and (at error level and
// above) the stack of the logging call.
type Formatter struct{}

// Format implements logrus.Formatter.
func (f *Formatter) Format(e *logrus.Entry) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("[")
	b.WriteString(e.Time.UTC().Format("2006-01-02T15:04:05.000Z"))
	b.WriteString("] [")
	b.WriteString(fmt.Sprintf("%-5s", strings.ToUpper(levelName(e.Level))))
	b.WriteString("] ")
	b.WriteString(e.Message)
	if len(e.Data) > 0 {
		fields := make(map[string]any, len(e.Data))
		for k, v := range e.Data {
			if err, ok := v.(error); ok {
				fields[k] = errorFields(err, e.Level <= logrus.ErrorLevel)
				continue
			}
			fields[k] = v
		}
		js, err := marshalSorted(fields)
		if err != nil {
			return nil, err
		}
		b.WriteByte(' ')
		b.Write(js)
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

func levelName(l logrus.Level) string {
	if l == logrus.WarnLevel {
		return "warn"
	}
	return l.String()
}

func errorFields(err error, withStack bool) map[string]any {
	out := map[string]any{"message": err.Error()}
	var c Coder
	if errors.As(err, &c) {
		out["code"] = c.Code()
	}
	if withStack {
		out["stack"] = callerStack()
	}
	return out
}

// callerStack returns the stack of the code that logged, without logrus's and
// this package's frames.
func callerStack() string {
	pcs := make([]uintptr, 32)
	n := runtime.Callers(3, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	var lines []string
	for {
		fr, more := frames.Next()
		if !strings.Contains(fr.File, "sirupsen/logrus") && !strings.HasSuffix(fr.Function, "logging.callerStack") &&
			!strings.Contains(fr.Function, "logging.errorFields") && !strings.Contains(fr.Function, "logging.(*Formatter)") {
			lines = append(lines, fmt.Sprintf("%s (%s:%d)", fr.Function, fr.File, fr.Line))
		}
		if !more || len(lines) >= 12 {
			break
		}
	}
	return strings.Join(lines, "\n")
}

func marshalSorted(m map[string]any) ([]byte, error) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kj, _ := json.Marshal(k)
		b.Write(kj)
		b.WriteByte(':')
		vj, err := json.Marshal(m[k])
		if err != nil {
			vj, _ = json.Marshal(fmt.Sprint(m[k]))
		}
		b.Write(vj)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}
