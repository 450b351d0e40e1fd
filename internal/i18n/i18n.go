// Package i18n holds the message catalogues of Cầu Nối (Vietnamese first,
// English second) and formats dates and numbers the way each language
// writes them.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"time"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"caunoi"
)

//go:embed locales/*.json
var locales embed.FS

// Default is the language used when none is chosen.
const Default = "vi"

// Catalogue holds every message in every language.
type Catalogue struct {
	bundle *i18n.Bundle
	keys   map[string]map[string]bool // lang → keys
}

// Load reads the embedded catalogues.
func Load() (*Catalogue, error) {
	b := i18n.NewBundle(language.Vietnamese)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	c := &Catalogue{bundle: b, keys: map[string]map[string]bool{}}
	// Each language has a main file, locales/LANG.json, and may have more,
	// locales/PART.LANG.json, one per part of the application.
	for _, lang := range caunoi.Languages {
		c.keys[lang] = map[string]bool{}
		names, err := fs.Glob(locales, "locales/*"+lang+".json")
		if err != nil {
			return nil, fmt.Errorf("i18n: %w", err)
		}
		for _, name := range names {
			base := strings.TrimPrefix(name, "locales/")
			if base != lang+".json" && !strings.HasSuffix(base, "."+lang+".json") {
				continue
			}
			data, err := fs.ReadFile(locales, name)
			if err != nil {
				return nil, fmt.Errorf("i18n: %w", err)
			}
			// go-i18n takes the language from the file name's last part.
			if _, err := b.ParseMessageFileBytes(data, lang+".json"); err != nil {
				return nil, fmt.Errorf("i18n: %s: %w", name, err)
			}
			var raw map[string]json.RawMessage
			if err := json.Unmarshal(data, &raw); err != nil {
				return nil, fmt.Errorf("i18n: %s: %w", name, err)
			}
			for k := range raw {
				if c.keys[lang][k] {
					return nil, fmt.Errorf("i18n: %s: %s is defined twice", name, k)
				}
				c.keys[lang][k] = true
			}
		}
	}
	return c, nil
}

// MustLoad is Load for program start, where a broken catalogue is a bug.
func MustLoad() *Catalogue {
	c, err := Load()
	if err != nil {
		panic(err)
	}
	return c
}

// Keys returns the message keys of a language.
func (c *Catalogue) Keys(lang string) map[string]bool { return c.keys[lang] }

// Has reports whether the key exists in the language.
func (c *Catalogue) Has(lang, key string) bool { return c.keys[lang][key] }

// Localizer translates for one language.
type Localizer struct {
	Lang string
	l    *i18n.Localizer
	c    *Catalogue
}

// Lang picks a supported language from a user's choice or an
// Accept-Language header; Vietnamese when nothing fits.
func Lang(choices ...string) string {
	for _, ch := range choices {
		for _, part := range strings.Split(ch, ",") {
			tag := strings.ToLower(strings.TrimSpace(strings.SplitN(part, ";", 2)[0]))
			for _, l := range caunoi.Languages {
				if tag == l || strings.HasPrefix(tag, l+"-") {
					return l
				}
			}
		}
	}
	return Default
}

// For returns the localizer of a language.
func (c *Catalogue) For(lang string) *Localizer {
	lang = Lang(lang)
	return &Localizer{Lang: lang, l: i18n.NewLocalizer(c.bundle, lang), c: c}
}

// T translates a key, filling {{.Name}} from args given as a map or as
// name, value pairs. A missing key shows as the key itself, which the
// catalogue test forbids.
func (l *Localizer) T(key string, args ...any) string {
	data := toMap(args)
	s, err := l.l.Localize(&i18n.LocalizeConfig{MessageID: key, TemplateData: data})
	if err != nil {
		return key
	}
	return s
}

// N translates a key with plural forms for count (the message's {{.Count}}).
func (l *Localizer) N(key string, count int, args ...any) string {
	data := toMap(args)
	if data == nil {
		data = map[string]any{}
	}
	data["Count"] = l.Number(int64(count))
	s, err := l.l.Localize(&i18n.LocalizeConfig{MessageID: key, TemplateData: data, PluralCount: count})
	if err != nil {
		return key
	}
	return s
}

func toMap(args []any) map[string]any {
	if len(args) == 0 {
		return nil
	}
	if m, ok := args[0].(map[string]any); ok && len(args) == 1 {
		return m
	}
	m := map[string]any{}
	for i := 0; i+1 < len(args); i += 2 {
		if k, ok := args[i].(string); ok {
			m[k] = args[i+1]
		}
	}
	return m
}

// Field returns the translated name of an input field, or the name itself
// when the catalogue has none (a field of a JSON body, say).
func (l *Localizer) Field(name string) string {
	if l.c.Has(l.Lang, "field."+name) {
		return l.T("field." + name)
	}
	return name
}

// Error returns the translated message of an error and of each bad field.
// Errors that are not *caunoi.Error show as the generic internal message,
// never their text.
func (l *Localizer) Error(err error) (string, map[string]string) {
	e := caunoi.AsError(err)
	msg := l.T(e.Key, l.numbers(e.Args))
	if e.Code == caunoi.EINTERNAL {
		msg = l.T("err.internal")
	}
	var fields map[string]string
	if len(e.Fields) > 0 {
		fields = map[string]string{}
		for _, f := range e.Fields {
			m := l.T(f.Key, l.numbers(f.Args))
			if prev, ok := fields[f.Field]; ok && prev != m {
				m = prev + " " + m
			}
			fields[f.Field] = m
		}
	}
	return msg, fields
}

// numbers returns the arguments of a message with every int64 written as
// the language writes numbers (sums of money are int64: "1.218.000").
func (l *Localizer) numbers(args map[string]any) map[string]any {
	var out map[string]any
	for k, v := range args {
		if n, ok := v.(int64); ok {
			if out == nil {
				out = make(map[string]any, len(args))
				for k2, v2 := range args {
					out[k2] = v2
				}
			}
			out[k] = l.Number(n)
		}
	}
	if out == nil {
		return args
	}
	return out
}

// Date formats a day as dd/mm/yyyy (both languages) in Vietnam's time zone.
func (l *Localizer) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(caunoi.Zone).Format("02/01/2006")
}

// DateUTC formats a calendar date stored at midnight UTC as dd/mm/yyyy.
func (l *Localizer) DateUTC(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("02/01/2006")
}

// DateTime formats a moment as dd/mm/yyyy HH:MM in Vietnam's time zone.
func (l *Localizer) DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(caunoi.Zone).Format("02/01/2006 15:04")
}

// Number formats an integer with thousands separators: "1.628" in
// Vietnamese, "1,628" in English.
func (l *Localizer) Number(n int64) string {
	sep := "."
	if l.Lang == "en" {
		sep = ","
	}
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// Money formats whole đồng: "130.000.000 ₫".
func (l *Localizer) Money(vnd int64) string { return l.Number(vnd) + " ₫" }
