package web

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"caunoi"
	"caunoi/internal/api"
	"caunoi/internal/i18n"
)

// csp allows nothing from other origins and no inline code.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
	"connect-src 'self'; manifest-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// MaxFormBody is the largest form accepted, files included.
const MaxFormBody = 10 << 20

// build wires the route table into a mux with the middleware around it:
// recovery and logging, security headers, the session, cross-origin
// protection, the actor, and each route's rule.
func (s *Server) build() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.routes {
		if !rt.Rule.Valid() {
			panic(fmt.Sprintf("route %s %s has no authorization rule", rt.Method, rt.Path))
		}
		mux.Handle(rt.Method+" "+rt.Path, s.guard(rt))
	}
	mux.HandleFunc("/", s.notFound)
	var h http.Handler = mux
	h = s.withActor(h)
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(s.crossOriginDenied))
	h = cop.Handler(h)
	h = s.Sessions.LoadAndSave(h)
	h = s.sessionless(h, mux)
	h = s.headers(h)
	h = s.recoverAndLog(h)
	return h
}

// sessionless sends static files, the service worker, the web manifest and
// /healthz straight to the mux: they need no session and no user, so they
// cost no database query.
func (s *Server) sessionless(next, mux http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && (strings.HasPrefix(r.URL.Path, "/static/") || r.URL.Path == "/healthz" || r.URL.Path == "/sw.js" || r.URL.Path == "/manifest.webmanifest") {
			mux.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// routeKey holds, in a request's context, where guard writes the route
// that served it, for the request log.
type routeKey struct{}

// guard enforces a route's rule before its handler runs.
func (s *Server) guard(rt Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p, ok := r.Context().Value(routeKey{}).(*string); ok {
			*p = rt.Method + " " + rt.Path
		}
		if !rt.Rule.Public {
			a := caunoi.ActorFromContext(r.Context())
			if a == nil {
				if rt.API() {
					s.API.WriteError(w, r, caunoi.Errorf(caunoi.EUNAUTHORIZED, "err.unauthorized", nil))
					return
				}
				http.Redirect(w, r, "/login?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			if rt.Rule.Perm != "" && !a.Can(rt.Rule.Perm) {
				s.fail(w, r, caunoi.Forbidden())
				return
			}
		}
		if r.Method == http.MethodPost || r.Method == http.MethodPatch {
			limit := int64(MaxFormBody)
			if rt.API() {
				limit = api.BodyLimit(rt.Path)
			}
			r.Body = http.MaxBytesReader(w, r.Body, limit)
		}
		rt.Handler(w, r)
	})
}

// withActor puts the actor of the request in its context: from a bearer
// API token, or from the session. A session whose user was disabled or
// whose sessions were revoked is ended.
func (s *Server) withActor(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if h := r.Header.Get("Authorization"); h != "" {
			secret, ok := strings.CutPrefix(h, "Bearer ")
			if !ok {
				s.API.WriteError(w, r, caunoi.Errorf(caunoi.EUNAUTHORIZED, "err.token.invalid", nil))
				return
			}
			a, err := s.Users.ActorByToken(ctx, strings.TrimSpace(secret))
			if err != nil {
				s.API.WriteError(w, r, err)
				return
			}
			next.ServeHTTP(w, r.WithContext(caunoi.NewContextWithActor(ctx, a)))
			return
		}
		if uid := s.Sessions.GetString(ctx, "uid"); uid != "" {
			a, err := s.Users.ActorByUserID(ctx, uid, s.Sessions.GetInt(ctx, "epoch"))
			switch {
			case err == nil:
				if l := s.Sessions.GetString(ctx, "lang"); l != "" {
					a.Lang = l
				}
				ctx = caunoi.NewContextWithActor(ctx, a)
			case caunoi.ErrorCode(err) == caunoi.EUNAUTHORIZED:
				lang := s.Sessions.GetString(ctx, "lang")
				_ = s.Sessions.Destroy(ctx)
				s.Sessions.Put(ctx, "lang", lang)
				s.Sessions.Put(ctx, "flash", "err.session.expired")
			default:
				s.fail(w, r, err)
				return
			}
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// headers sets the security headers of every answer.
func (s *Server) headers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(self), payment=()")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if s.TLS {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		if !strings.HasPrefix(r.URL.Path, "/static/") {
			h.Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}

// statusWriter remembers the status of an answer, for the log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// recoverAndLog logs each request by its route pattern (never its path or
// query, which may name a client) and turns a panic into a 500.
func (s *Server) recoverAndLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		route := "-"
		r = r.WithContext(context.WithValue(r.Context(), routeKey{}, &route))
		defer func() {
			if v := recover(); v != nil {
				s.Log.Error("panic", "route", route, "panic", fmt.Sprint(v))
				if sw.status == 0 {
					// Outside the session: a plain page, in Vietnamese.
					http.Error(sw, s.Cat.For("").T("err.internal"), http.StatusInternalServerError)
				}
			}
			s.Log.Info("request", "method", r.Method, "route", route, "status", sw.status, "ms", time.Since(start).Milliseconds())
		}()
		next.ServeHTTP(sw, r)
	})
}

// crossOriginDenied answers a cross-origin write.
func (s *Server) crossOriginDenied(w http.ResponseWriter, r *http.Request) {
	err := caunoi.Errorf(caunoi.EFORBIDDEN, "err.cross_origin", nil)
	if strings.HasPrefix(r.URL.Path, "/api/") {
		s.API.WriteError(w, r, err)
		return
	}
	s.fail(w, r, err)
}

// notFound answers an unknown route.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, caunoi.Errorf(caunoi.ENOTFOUND, "err.route_not_found", nil))
}

// localizer returns the localizer of a page request: the session's choice,
// then the user's language, then Vietnamese.
func (s *Server) localizer(r *http.Request) *i18n.Localizer {
	lang := s.Sessions.GetString(r.Context(), "lang")
	if lang == "" {
		if a := caunoi.ActorFromContext(r.Context()); a != nil {
			lang = a.Lang
		}
	}
	return s.Cat.For(lang)
}

// clientIP returns the address of the peer, for rate limiting.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
