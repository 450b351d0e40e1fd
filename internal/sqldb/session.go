package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// SessionStore keeps web sessions (github.com/alexedwards/scs/v2) in the
// sessions table, on either database.
type SessionStore struct{ db *DB }

// NewSessionStore returns the session store.
func NewSessionStore(db *DB) *SessionStore { return &SessionStore{db: db} }

// FindCtx returns the data of an unexpired session.
func (s *SessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var b []byte
	err := s.db.read.QueryRowContext(ctx, "SELECT data FROM sessions WHERE token = $1 AND expiry > $2", token, s.db.Now().UTC()).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("find session: %w", err)
	}
	return b, true, nil
}

// CommitCtx stores a session.
func (s *SessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	_, err := s.db.write.ExecContext(ctx, `INSERT INTO sessions (token, data, expiry) VALUES ($1, $2, $3)
		ON CONFLICT (token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry`, token, b, expiry.UTC())
	if err != nil {
		return fmt.Errorf("commit session: %w", err)
	}
	return nil
}

// DeleteCtx removes a session (at logout). Sessions hold no record of the
// domain, so they are deleted rather than voided.
func (s *SessionStore) DeleteCtx(ctx context.Context, token string) error {
	if _, err := s.db.write.ExecContext(ctx, "DELETE FROM sessions WHERE token = $1", token); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// Find implements scs.Store.
func (s *SessionStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

// Commit implements scs.Store.
func (s *SessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}

// Delete implements scs.Store.
func (s *SessionStore) Delete(token string) error {
	return s.DeleteCtx(context.Background(), token)
}

// DeleteExpired removes expired sessions; serve calls it now and then.
func (s *SessionStore) DeleteExpired(ctx context.Context) error {
	if _, err := s.db.write.ExecContext(ctx, "DELETE FROM sessions WHERE expiry < $1", s.db.Now().UTC()); err != nil {
		return fmt.Errorf("delete expired sessions: %w", err)
	}
	return nil
}
