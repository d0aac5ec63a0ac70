package browser

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/sirupsen/logrus"
)

//go:embed selectors.json
var defaultSelectorsJSON []byte

// Selector is one piece of WhatsApp Web markup: ordered CSS fallbacks, an
// optional text the element must contain (any of, case-insensitive; equal
// instead of contain when Exact) and an optional attribute to read. A value
// the page keeps outside its markup (the own number) is read instead from
// Module ("module.function" of the page's own module system, tried first)
// and Storage (localStorage keys), in order.
type Selector struct {
	CSS     []string `json:"css"`
	Text    []string `json:"text,omitempty"`
	Exact   bool     `json:"exact,omitempty"`
	Attr    string   `json:"attr,omitempty"`
	Module  []string `json:"module,omitempty"`
	Storage []string `json:"storage,omitempty"`
}

// Selectors maps a key (e.g. "compose") to its Selector.
type Selectors map[string]Selector

// parseSelectors reads a selectors file; keys starting with "_" are comments.
func parseSelectors(data []byte) (Selectors, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, err
	}
	out := Selectors{}
	for k, v := range raw {
		if strings.HasPrefix(k, "_") {
			continue
		}
		var s Selector
		if err := json.Unmarshal(v, &s); err != nil {
			return nil, fmt.Errorf("key %q: %w", k, err)
		}
		if len(s.CSS) == 0 && len(s.Text) == 0 && len(s.Module) == 0 && len(s.Storage) == 0 {
			return nil, fmt.Errorf("key %q: needs css, text, module or storage", k)
		}
		out[k] = s
	}
	return out, nil
}

// DefaultSelectors returns the embedded selectors.
func DefaultSelectors() Selectors {
	s, err := parseSelectors(defaultSelectorsJSON)
	if err != nil {
		panic("browser: embedded selectors.json is invalid: " + err.Error())
	}
	return s
}

// selectorStore serves the embedded selectors merged with the override file,
// re-reading the file when its modification time or size changes.
type selectorStore struct {
	path string

	mu       sync.Mutex
	defaults Selectors
	cur      Selectors
	modTime  time.Time
	size     int64
	hits     map[string]int
	version  string
	loads    int
}

func newSelectorStore(dataDir string) *selectorStore {
	s := &selectorStore{defaults: DefaultSelectors(), hits: map[string]int{}}
	s.cur = s.defaults
	s.bump()
	if dataDir != "" {
		s.path = filepath.Join(dataDir, "selectors.json")
	}
	return s
}

// current returns the selectors and a version that changes with them.
func (s *selectorStore) current() (Selectors, string) {
	sels := s.get()
	s.mu.Lock()
	defer s.mu.Unlock()
	return sels, s.version
}

// get returns the current selectors, reloading the override if it changed.
func (s *selectorStore) get() Selectors {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.path == "" {
		return s.cur
	}
	fi, err := os.Stat(s.path)
	if err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			logrus.WithFields(logrus.Fields{"path": s.path, "error": err}).Error("browser: unable to read selectors override")
		}
		if !s.modTime.IsZero() {
			s.modTime, s.size, s.cur = time.Time{}, 0, s.defaults
			s.bump()
			logrus.WithField("path", s.path).Info("browser: selectors override removed, using built-in selectors")
		}
		return s.cur
	}
	if fi.ModTime().Equal(s.modTime) && fi.Size() == s.size {
		return s.cur
	}
	s.modTime, s.size = fi.ModTime(), fi.Size()
	data, err := os.ReadFile(s.path)
	if err == nil {
		var over Selectors
		over, err = parseSelectors(data)
		if err == nil {
			merged := Selectors{}
			for k, v := range s.defaults {
				merged[k] = v
			}
			for k, v := range over {
				merged[k] = v
			}
			s.cur = merged
			s.bump()
			logrus.WithFields(logrus.Fields{"path": s.path, "keys": len(over)}).Info("browser: selectors override loaded")
			return s.cur
		}
	}
	logrus.WithFields(logrus.Fields{"path": s.path, "error": err}).Error("browser: selectors override is invalid, keeping the previous selectors")
	return s.cur
}

// noteHits logs which fallback matched, once per change: info when a key
// fell back past its first selector (the markup may have changed), debug otherwise.
func (s *selectorStore) noteHits(hits map[string]int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, i := range hits {
		if prev, ok := s.hits[k]; ok && prev == i {
			continue
		}
		s.hits[k] = i
		var css string
		if sel, ok := s.cur[k]; ok && i >= 0 && i < len(sel.CSS) {
			css = sel.CSS[i]
		}
		entry := logrus.WithFields(logrus.Fields{"key": k, "fallback": i, "css": css})
		if i > 0 {
			entry.Info("browser: selector matched a fallback")
		} else {
			entry.Debug("browser: selector matched")
		}
	}
}

// bump gives the selectors a new version (pages reinstall their helper).
func (s *selectorStore) bump() {
	s.loads++
	s.version = fmt.Sprintf("%d-%d", time.Now().UnixNano(), s.loads)
}
