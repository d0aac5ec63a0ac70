package config

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strings"
)

// source resolves one variable: a flag wins over the environment, which wins
// over the data directory's .env file.
type source struct {
	flags  map[string]string
	lookup func(string) (string, bool)
	dotenv map[string]string
}

func (s *source) get(name string) string {
	if v, ok := s.flags[name]; ok && v != "" {
		return v
	}
	if s.lookup != nil {
		if v, ok := s.lookup(name); ok && v != "" {
			return v
		}
	}
	return s.dotenv[name]
}

// secretOrValue returns NAME, or the trimmed content of the file named by
// NAME_FILE (Docker secrets). Setting both is an error.
func (s *source) secretOrValue(name string) (string, error) {
	v := s.get(name)
	file := s.get(name + "_FILE")
	if file == "" {
		return v, nil
	}
	if v != "" {
		return "", &Error{Var: name + "_FILE", Reason: fmt.Sprintf("set either %s or %s_FILE, not both", name, name)}
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", &Error{Var: name + "_FILE", Value: file, Reason: "unable to read the file: " + err.Error()}
	}
	return strings.TrimRight(string(b), "\r\n"), nil
}

// readDotEnv reads KEY=VALUE lines; a missing file is not an error.
func readDotEnv(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("config: unable to read %s: %w", path, err)
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		text = strings.TrimPrefix(text, "export ")
		key, val, ok := strings.Cut(text, "=")
		if !ok {
			return nil, fmt.Errorf("config: %s line %d: expected KEY=VALUE", path, line)
		}
		val = strings.TrimSpace(val)
		if len(val) >= 2 && (val[0] == '"' && val[len(val)-1] == '"' || val[0] == '\'' && val[len(val)-1] == '\'') {
			val = val[1 : len(val)-1]
		}
		out[strings.TrimSpace(key)] = val
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("config: unable to read %s: %w", path, err)
	}
	return out, nil
}

func joinErrors(errs []error) error {
	if len(errs) == 1 {
		return errs[0]
	}
	return errors.Join(errs...)
}
