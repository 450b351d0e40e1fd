package sqldb

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"
)

// extendEvery is how long a session's idle expiry may go without being
// pushed forward. The session manager commits every request's session to
// extend its idle timeout; on SQLite each of those writes waits for the
// one writer, so a commit that changes nothing but moves the expiry by
// less than this is skipped. A session may then end this much earlier than
// its idle timeout says.
const extendEvery = time.Minute

// SessionStore keeps web sessions (github.com/alexedwards/scs/v2) in the
// sessions table, on either database.
type SessionStore struct {
	db *DB
	// seen remembers, per token, what the database held when this process
	// last read or wrote the session: the hash of its data and its expiry.
	seen sync.Map // token → sessionSeen
}

type sessionSeen struct {
	sum    [32]byte
	expiry time.Time
}

// NewSessionStore returns the session store.
func NewSessionStore(db *DB) *SessionStore { return &SessionStore{db: db} }

// FindCtx returns the data of an unexpired session.
func (s *SessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var b []byte
	var expiry time.Time
	err := s.db.read.QueryRowContext(ctx, "SELECT data, expiry FROM sessions WHERE token = $1 AND expiry > $2", token, s.db.Now().UTC()).Scan(&b, &expiry)
	if errors.Is(err, sql.ErrNoRows) {
		s.seen.Delete(token)
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("find session: %w", err)
	}
	s.seen.Store(token, sessionSeen{sum: sha256.Sum256(b), expiry: expiry.UTC()})
	return b, true, nil
}

// CommitCtx stores a session, unless the database already holds the same
// data with an expiry less than extendEvery before the new one.
func (s *SessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	seen := sessionSeen{sum: sha256.Sum256(b), expiry: expiry.UTC()}
	if v, ok := s.seen.Load(token); ok {
		old := v.(sessionSeen)
		if old.sum == seen.sum && !seen.expiry.Before(old.expiry) && seen.expiry.Sub(old.expiry) < extendEvery {
			return nil
		}
	}
	_, err := s.db.write.ExecContext(ctx, `INSERT INTO sessions (token, data, expiry) VALUES ($1, $2, $3)
		ON CONFLICT (token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry`, token, b, seen.expiry)
	if err != nil {
		s.seen.Delete(token)
		return fmt.Errorf("commit session: %w", err)
	}
	s.seen.Store(token, seen)
	return nil
}

// DeleteCtx removes a session (at logout). Sessions hold no record of the
// domain, so they are deleted rather than voided.
func (s *SessionStore) DeleteCtx(ctx context.Context, token string) error {
	s.seen.Delete(token)
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
	now := s.db.Now().UTC()
	s.seen.Range(func(k, v any) bool {
		if !v.(sessionSeen).expiry.After(now) {
			s.seen.Delete(k)
		}
		return true
	})
	if _, err := s.db.write.ExecContext(ctx, "DELETE FROM sessions WHERE expiry < $1", s.db.Now().UTC()); err != nil {
		return fmt.Errorf("delete expired sessions: %w", err)
	}
	return nil
}
