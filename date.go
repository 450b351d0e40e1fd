package caunoi

import (
	"encoding/json"
	"time"
)

// Date is a calendar day in JSON as "yyyy-mm-dd".
type Date time.Time

// MarshalJSON writes the day as "yyyy-mm-dd".
func (d Date) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Time(d).Format(DateLayout))
}

// UnmarshalJSON reads "yyyy-mm-dd" (or dd/mm/yyyy).
func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return Invalid(FieldError{Field: "date", Key: "err.date.format"})
	}
	t, ok := parseDate(s)
	if !ok {
		return Invalid(FieldError{Field: "date", Key: "err.date.format"})
	}
	*d = Date(t)
	return nil
}

// Time returns the day as a *time.Time at midnight UTC, or nil.
func (d *Date) Time() *time.Time {
	if d == nil {
		return nil
	}
	t := time.Time(*d)
	return &t
}
