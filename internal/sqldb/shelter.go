package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"caunoi"
)

// ShelterService implements caunoi.ShelterService.
type ShelterService struct{ db *DB }

// NewShelterService returns the shelter service.
func NewShelterService(db *DB) *ShelterService { return &ShelterService{db: db} }

var _ caunoi.ShelterService = (*ShelterService)(nil)

// bedCols reads a bed with the stay that holds it now, if any.
const bedCols = `b.id, b.provider_id, b.org_path, b.label, b.in_use_from, b.notes, b.version, b.created_at, b.updated_at,
	b.voided_at, b.voided_by, b.void_reason, COALESCE(os.id, ''), COALESCE(os.org_path, '')`

const bedFrom = ` FROM shelter_beds b LEFT JOIN shelter_stays os ON os.bed_id = b.id AND os.discharged_on IS NULL AND os.voided_at IS NULL`

// scanBed reads a bed; the stay holding it is named only to an actor
// holding case.read on the stay's organisation.
func (tx *Tx) scanBed(sc scanner) (*caunoi.ShelterBed, error) {
	var b caunoi.ShelterBed
	var opened time.Time
	var voided sql.NullTime
	var stayID, stayPath string
	if err := sc.Scan(&b.ID, &b.ProviderID, &b.OrgPath, &b.Label, &opened, &b.Notes, &b.Version, &b.CreatedAt, &b.UpdatedAt,
		&voided, &b.VoidedBy, &b.VoidReason, &stayID, &stayPath); err != nil {
		return nil, err
	}
	b.InUseFrom, b.CreatedAt, b.UpdatedAt, b.VoidedAt = caunoi.Date(opened.UTC()), b.CreatedAt.UTC(), b.UpdatedAt.UTC(), timePtr(voided)
	b.Occupied = stayID != ""
	if b.Occupied && tx.actor.CanAt(caunoi.PermCaseRead, stayPath) {
		b.StayID = stayID
	}
	return &b, nil
}

// shelterOf returns a provider the actor sees if it is a shelter;
// another kind is EINVALID on provider_id.
func (tx *Tx) shelterOf(ctx context.Context, providerID string) (*caunoi.Provider, error) {
	p, err := tx.findProvider(ctx, providerID, false)
	if err != nil {
		return nil, err
	}
	if p.Kind != caunoi.ProviderShelter {
		return nil, caunoi.Invalid(caunoi.FieldError{Field: "provider_id", Key: "err.shelter.not_shelter", Args: map[string]any{"Provider": p.Name}})
	}
	return p, nil
}

// loadShelter fills a shelter's live beds and its numbers now.
func (tx *Tx) loadShelter(ctx context.Context, p *caunoi.Provider) (*caunoi.Shelter, error) {
	sh := &caunoi.Shelter{Provider: p, Beds: []caunoi.ShelterBed{}}
	rows, err := tx.QueryContext(ctx, "SELECT "+bedCols+bedFrom+" WHERE b.provider_id = $1 AND b.voided_at IS NULL ORDER BY b.label, b.id", p.ID)
	if err != nil {
		return nil, fmt.Errorf("shelter beds: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		b, err := tx.scanBed(rows)
		if err != nil {
			return nil, fmt.Errorf("shelter beds: %w", err)
		}
		if b.Occupied {
			sh.Occupied++
		}
		sh.Beds = append(sh.Beds, *b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("shelter beds: %w", err)
	}
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM shelter_stays WHERE provider_id = $1 AND discharged_on IS NULL AND voided_at IS NULL
		AND expected_on < $2`, p.ID, dayOf(tx.now)).Scan(&sh.Overstayed); err != nil {
		return nil, fmt.Errorf("shelter overstays: %w", err)
	}
	return sh, nil
}

// FindShelters lists the shelters the actor sees with their occupancy.
func (s *ShelterService) FindShelters(ctx context.Context, f caunoi.ShelterFilter) ([]*caunoi.Shelter, int, error) {
	a, err := caunoi.Require(ctx, caunoi.PermProviderRead)
	if err != nil {
		return nil, 0, err
	}
	var out []*caunoi.Shelter
	var total int
	err = s.db.inTx(ctx, false, func(tx *Tx) error {
		var w query
		w.add(" FROM providers p WHERE ")
		if err := w.scopeShared(a, caunoi.PermProviderRead, "p.org_path"); err != nil {
			return err
		}
		w.add(" AND p.voided_at IS NULL AND p.kind = ", w.arg(caunoi.ProviderShelter))
		if f.OrgID != "" {
			o, err := tx.findOrg(ctx, f.OrgID, caunoi.PermProviderRead)
			if err != nil {
				return err
			}
			w.add(" AND ((p.org_path >= ", w.arg(o.Path), " AND p.org_path < ", w.arg(pathEnd(o.Path)), ")")
			for _, anc := range ancestorPaths(o.Path) {
				w.add(" OR p.org_path = ", w.arg(anc))
			}
			w.add(")")
		}
		providers, n, err := listPage(ctx, tx, "shelters", providerCols, w, "p.name_search, p.id", f.Page, scanProvider)
		if err != nil {
			return err
		}
		total = n
		for _, p := range providers {
			sh, err := tx.loadShelter(ctx, p)
			if err != nil {
				return err
			}
			out = append(out, sh)
		}
		return nil
	})
	return out, total, err
}

// FindShelterByID returns a shelter the actor sees with its beds.
func (s *ShelterService) FindShelterByID(ctx context.Context, providerID string) (*caunoi.Shelter, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermProviderRead); err != nil {
		return nil, err
	}
	var sh *caunoi.Shelter
	err := s.db.inTx(ctx, false, func(tx *Tx) error {
		p, err := tx.shelterOf(ctx, providerID)
		if err != nil {
			return err
		}
		sh, err = tx.loadShelter(ctx, p)
		return err
	})
	return sh, err
}

// findBed loads a bed of a shelter the actor sees.
func (tx *Tx) findBed(ctx context.Context, id string) (*caunoi.ShelterBed, *caunoi.Provider, error) {
	b, err := tx.scanBed(tx.QueryRowContext(ctx, "SELECT "+bedCols+bedFrom+" WHERE b.id = $1", id))
	if err != nil {
		return nil, nil, notFound(err, "shelter_bed")
	}
	p, err := tx.findProvider(ctx, b.ProviderID, false)
	if err != nil {
		return nil, nil, caunoi.NotFound("shelter_bed")
	}
	return b, p, nil
}

// keepShelter refuses an actor who may see a shelter but not keep it.
func (tx *Tx) keepShelter(p *caunoi.Provider) error {
	if !tx.actor.CanAt(caunoi.PermShelterWrite, p.OrgPath) {
		return caunoi.Forbidden()
	}
	return nil
}

// AddBed adds a bed to a shelter the actor keeps; a repeated id is
// applied once.
func (s *ShelterService) AddBed(ctx context.Context, b *caunoi.ShelterBed) error {
	if _, err := caunoi.Require(ctx, caunoi.PermShelterWrite); err != nil {
		return err
	}
	return s.db.inTx(ctx, true, func(tx *Tx) error {
		if b.ID != "" {
			if existing, _, err := tx.findBed(ctx, b.ID); err == nil {
				*b = *existing
				return nil
			}
		}
		p, err := tx.shelterOf(ctx, b.ProviderID)
		if err != nil {
			return err
		}
		if err := b.Validate(tx.now); err != nil {
			return err
		}
		if err := tx.keepShelter(p); err != nil {
			return err
		}
		b.OrgPath, b.Version, b.CreatedAt, b.UpdatedAt, b.Occupied, b.StayID = p.OrgPath, 1, tx.now, tx.now, false, ""
		res, err := tx.ExecContext(ctx, `INSERT INTO shelter_beds (id, provider_id, org_path, label, in_use_from, notes, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) ON CONFLICT DO NOTHING`,
			b.ID, b.ProviderID, b.OrgPath, b.Label, time.Time(b.InUseFrom), b.Notes, b.Version, b.CreatedAt)
		if err != nil {
			return fmt.Errorf("insert bed: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var taken int
			if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM shelter_beds WHERE id = $1", b.ID).Scan(&taken); err != nil {
				return fmt.Errorf("insert bed: %w", err)
			}
			if taken > 0 {
				return caunoi.Errorf(caunoi.ECONFLICT, "err.id.taken", nil)
			}
			return caunoi.Invalid(caunoi.FieldError{Field: "label", Key: "err.shelter.bed_label_taken"})
		}
		return tx.audit(caunoi.ActionCreate, "shelter_bed", b.ID, b.OrgPath, nil, b, "")
	})
}

// VoidBed retires a free bed.
func (s *ShelterService) VoidBed(ctx context.Context, id string, version int, reason string) (*caunoi.ShelterBed, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermShelterWrite); err != nil {
		return nil, err
	}
	var out *caunoi.ShelterBed
	err := s.db.inTx(ctx, true, func(tx *Tx) error {
		old, p, err := tx.findBed(ctx, id)
		if err != nil {
			return err
		}
		if err := caunoi.ValidateVoidReason(reason); err != nil {
			return err
		}
		if err := tx.keepShelter(p); err != nil {
			return err
		}
		if err := checkChangeable(old.Voiding, old.Version, version); err != nil {
			return err
		}
		if old.Occupied {
			return caunoi.Errorf(caunoi.ECONFLICT, "err.shelter.bed_occupied", nil)
		}
		next := *old
		if next.Voiding, err = tx.voidRow(ctx, "shelter_beds", id, version, reason); err != nil {
			return err
		}
		next.Version, next.UpdatedAt = old.Version+1, tx.now
		out = &next
		return tx.audit(caunoi.ActionVoid, "shelter_bed", id, old.OrgPath, old, next, reason)
	})
	return out, err
}

const stayCols = `s.id, s.org_id, s.org_path, s.provider_id, s.bed_id, b.label, COALESCE(s.client_id, ''), COALESCE(s.case_id, ''),
	s.admitted_on, s.expected_on, s.reason, s.discharged_on, s.discharge_reason, s.admitted_by, s.version, s.created_at, s.updated_at,
	s.voided_at, s.voided_by, s.void_reason`

const stayFrom = ` FROM shelter_stays s JOIN shelter_beds b ON b.id = s.bed_id`

func scanStay(sc scanner) (*caunoi.ShelterStay, error) {
	var s caunoi.ShelterStay
	var admitted, expected time.Time
	var discharged, voided sql.NullTime
	if err := sc.Scan(&s.ID, &s.OrgID, &s.OrgPath, &s.ProviderID, &s.BedID, &s.BedLabel, &s.ClientID, &s.CaseID,
		&admitted, &expected, &s.Reason, &discharged, &s.DischargeReason, &s.AdmittedBy, &s.Version, &s.CreatedAt, &s.UpdatedAt,
		&voided, &s.VoidedBy, &s.VoidReason); err != nil {
		return nil, err
	}
	s.AdmittedOn, s.ExpectedOn, s.DischargedOn = caunoi.Date(admitted.UTC()), caunoi.Date(expected.UTC()), nullDay(discharged)
	s.CreatedAt, s.UpdatedAt, s.VoidedAt = s.CreatedAt.UTC(), s.UpdatedAt.UTC(), timePtr(voided)
	return &s, nil
}

func (tx *Tx) findStay(ctx context.Context, id string, perm caunoi.Permission) (*caunoi.ShelterStay, error) {
	var q query
	q.add("SELECT ", stayCols, stayFrom, " WHERE s.id = ", q.arg(id), " AND ")
	if err := q.scope(tx.actor, perm, "s.org_path"); err != nil {
		return nil, err
	}
	s, err := scanStay(tx.QueryRowContext(ctx, q.String(), q.args...))
	if err != nil {
		return nil, notFound(err, "shelter_stay")
	}
	return s, nil
}

// FindStays lists stays in the actor's case.read scope.
func (s *ShelterService) FindStays(ctx context.Context, f caunoi.StayFilter) ([]*caunoi.ShelterStay, int, error) {
	a, err := caunoi.Require(ctx, caunoi.PermCaseRead)
	if err != nil {
		return nil, 0, err
	}
	var out []*caunoi.ShelterStay
	var total int
	err = s.db.inTx(ctx, false, func(tx *Tx) error {
		var w query
		w.add(stayFrom, " WHERE ")
		if err := w.scope(a, caunoi.PermCaseRead, "s.org_path"); err != nil {
			return err
		}
		w.add(" AND s.voided_at IS NULL")
		if f.OrgID != "" {
			o, err := tx.findOrg(ctx, f.OrgID, caunoi.PermCaseRead)
			if err != nil {
				return err
			}
			w.add(" AND s.org_path >= ", w.arg(o.Path), " AND s.org_path < ", w.arg(pathEnd(o.Path)))
		}
		if f.ID != "" {
			w.add(" AND s.id = ", w.arg(f.ID))
		}
		if f.ProviderID != "" {
			w.add(" AND s.provider_id = ", w.arg(f.ProviderID))
		}
		if f.ClientID != "" {
			w.add(" AND s.client_id = ", w.arg(f.ClientID))
		}
		if f.CaseID != "" {
			w.add(" AND s.case_id = ", w.arg(f.CaseID))
		}
		if f.Open {
			w.add(" AND s.discharged_on IS NULL")
		}
		items, n, err := listPage(ctx, tx, "stays", stayCols, w, "s.admitted_on DESC, s.id DESC", f.Page, scanStay)
		out, total = items, n
		return err
	})
	return out, total, err
}

// bedTaken is the error of an admission to a bed that another stay holds.
func bedTaken() error {
	return &caunoi.Error{Code: caunoi.ECONFLICT, Key: "err.shelter.bed_taken",
		Fields: []caunoi.FieldError{{Field: "bed_id", Key: "err.shelter.bed_taken"}}}
}

// clientInShelter is the error of an admission of a person already in a
// shelter.
func clientInShelter() error {
	return &caunoi.Error{Code: caunoi.ECONFLICT, Key: "err.shelter.client_in_shelter",
		Fields: []caunoi.FieldError{{Field: "client_id", Key: "err.shelter.client_in_shelter"}}}
}

// Admit admits a person to a free bed; a repeated id is applied once.
func (s *ShelterService) Admit(ctx context.Context, st *caunoi.ShelterStay) error {
	a, err := caunoi.Require(ctx, caunoi.PermShelterWrite)
	if err != nil {
		return err
	}
	if err := st.Validate(s.db.Now()); err != nil {
		return err
	}
	return s.db.inTx(ctx, true, func(tx *Tx) error {
		if existing, err := tx.findStay(ctx, st.ID, caunoi.PermCaseRead); err == nil {
			*st = *existing
			return nil
		}
		o, err := tx.caseOrg(ctx, st.OrgID, caunoi.PermShelterWrite)
		if err != nil {
			return err
		}
		p, err := tx.providerSharedWith(ctx, st.ProviderID, o.Path, "provider_id")
		if err != nil {
			return err
		}
		if p.Kind != caunoi.ProviderShelter {
			return caunoi.Invalid(caunoi.FieldError{Field: "provider_id", Key: "err.shelter.not_shelter", Args: map[string]any{"Provider": p.Name}})
		}
		on := time.Time(st.AdmittedOn)
		// The bed's row is locked on PostgreSQL, so that a racing
		// admission waits and then sees this one; SQLite has one writer.
		lock := ""
		if tx.db.Dialect == Postgres {
			lock = " FOR UPDATE"
		}
		var label string
		var opened time.Time
		var voided sql.NullTime
		err = tx.QueryRowContext(ctx, "SELECT label, in_use_from, voided_at FROM shelter_beds WHERE id = $1 AND provider_id = $2"+lock, st.BedID, p.ID).
			Scan(&label, &opened, &voided)
		if err == sql.ErrNoRows || voided.Valid {
			return caunoi.Invalid(caunoi.FieldError{Field: "bed_id", Key: "err.shelter.bed_unknown"})
		}
		if err != nil {
			return fmt.Errorf("admit: bed: %w", err)
		}
		if on.Before(opened.UTC()) {
			return caunoi.Invalid(caunoi.FieldError{Field: "admitted_on", Key: "err.shelter.bed_not_open", Args: map[string]any{"Bed": label}})
		}
		if st.CaseID != "" {
			c, err := tx.findCase(ctx, st.CaseID, caunoi.PermCaseRead)
			if err != nil || c.Voided() || !relatedPaths(c.OrgPath, o.Path) {
				if err != nil && caunoi.ErrorCode(err) != caunoi.ENOTFOUND {
					return err
				}
				return caunoi.Invalid(caunoi.FieldError{Field: "case_id", Key: "err.shelter.case_unknown"})
			}
			switch {
			case st.ClientID == "":
				st.ClientID = c.ClientID
			case c.ClientID != "" && c.ClientID != st.ClientID:
				return caunoi.Invalid(caunoi.FieldError{Field: "case_id", Key: "err.shelter.case_other_client"})
			}
		}
		if st.ClientID != "" {
			if _, err := tx.serviceClient(ctx, st.ClientID, o.Path, "admitted_on", on); err != nil {
				return err
			}
		}
		// A bed is taken by an open stay, or by one that ended after the
		// admission day.
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM shelter_stays WHERE bed_id = $1 AND voided_at IS NULL
			AND (discharged_on IS NULL OR discharged_on > $2)`, st.BedID, on).Scan(&n); err != nil {
			return fmt.Errorf("admit: %w", err)
		}
		if n > 0 {
			return bedTaken()
		}
		if st.ClientID != "" {
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM shelter_stays WHERE client_id = $1 AND voided_at IS NULL
				AND discharged_on IS NULL`, st.ClientID).Scan(&n); err != nil {
				return fmt.Errorf("admit: %w", err)
			}
			if n > 0 {
				return clientInShelter()
			}
		}
		st.OrgPath, st.BedLabel, st.AdmittedBy, st.Version, st.CreatedAt, st.UpdatedAt = o.Path, label, a.UserID, 1, tx.now, tx.now
		// The partial unique indexes are the last word: an admission that
		// lost a race the checks above could not see does nothing here.
		res, err := tx.ExecContext(ctx, `INSERT INTO shelter_stays (id, org_id, org_path, provider_id, bed_id, client_id, case_id, admitted_on,
			expected_on, reason, admitted_by, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) ON CONFLICT DO NOTHING`,
			st.ID, st.OrgID, st.OrgPath, st.ProviderID, st.BedID, nullStr(st.ClientID), nullStr(st.CaseID), on,
			time.Time(st.ExpectedOn), st.Reason, st.AdmittedBy, st.Version, st.CreatedAt)
		if err != nil {
			return fmt.Errorf("insert stay: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return tx.whyNotAdmitted(ctx, st)
		}
		return tx.audit(caunoi.ActionCreate, "shelter_stay", st.ID, st.OrgPath, nil, st, "")
	})
}

// whyNotAdmitted tells which unique index refused a stay.
func (tx *Tx) whyNotAdmitted(ctx context.Context, st *caunoi.ShelterStay) error {
	var id, bed int
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM shelter_stays WHERE id = $1),
		(SELECT COUNT(*) FROM shelter_stays WHERE bed_id = $2 AND discharged_on IS NULL AND voided_at IS NULL)`, st.ID, st.BedID).Scan(&id, &bed); err != nil {
		return fmt.Errorf("insert stay: %w", err)
	}
	switch {
	case id > 0:
		return caunoi.Errorf(caunoi.ECONFLICT, "err.id.taken", nil)
	case bed > 0:
		return bedTaken()
	default:
		return clientInShelter()
	}
}

// Discharge ends an open stay.
func (s *ShelterService) Discharge(ctx context.Context, id string, d caunoi.StayDischarge) (*caunoi.ShelterStay, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermShelterWrite); err != nil {
		return nil, err
	}
	var out *caunoi.ShelterStay
	err := s.db.inTx(ctx, true, func(tx *Tx) error {
		old, err := tx.findStay(ctx, id, caunoi.PermShelterWrite)
		if err != nil {
			return err
		}
		if err := checkChangeable(old.Voiding, old.Version, d.Version); err != nil {
			return err
		}
		if !old.Open() {
			return caunoi.Errorf(caunoi.ECONFLICT, "err.shelter.discharged", nil)
		}
		if err := d.Validate(old, tx.now); err != nil {
			return err
		}
		next := *old
		on := d.DischargedOn
		next.DischargedOn, next.DischargeReason, next.Version, next.UpdatedAt = &on, d.Reason, old.Version+1, tx.now
		if err := tx.execVersioned(ctx, "discharge", `UPDATE shelter_stays SET discharged_on = $1, discharge_reason = $2, version = $3, updated_at = $4
			WHERE id = $5 AND version = $6`, time.Time(on), d.Reason, next.Version, next.UpdatedAt, id, old.Version); err != nil {
			return err
		}
		out = &next
		return tx.audit(caunoi.ActionUpdate, "shelter_stay", id, old.OrgPath, old, next, "")
	})
	return out, err
}

// VoidStay voids a stay with a reason.
func (s *ShelterService) VoidStay(ctx context.Context, id string, version int, reason string) (*caunoi.ShelterStay, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermShelterWrite); err != nil {
		return nil, err
	}
	var out *caunoi.ShelterStay
	err := s.db.inTx(ctx, true, func(tx *Tx) error {
		old, err := tx.findStay(ctx, id, caunoi.PermShelterWrite)
		if err != nil {
			return err
		}
		if err := caunoi.ValidateVoidReason(reason); err != nil {
			return err
		}
		if err := checkChangeable(old.Voiding, old.Version, version); err != nil {
			return err
		}
		next := *old
		if next.Voiding, err = tx.voidRow(ctx, "shelter_stays", id, version, reason); err != nil {
			return err
		}
		next.Version, next.UpdatedAt = old.Version+1, tx.now
		out = &next
		return tx.audit(caunoi.ActionVoid, "shelter_stay", id, old.OrgPath, old, next, reason)
	})
	return out, err
}

// Occupancy counts, each night from from to to, the beds in use and the
// beds there were, from every live stay of the shelter.
func (s *ShelterService) Occupancy(ctx context.Context, providerID string, from, to time.Time) ([]caunoi.OccupancyDay, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermProviderRead); err != nil {
		return nil, err
	}
	from, to = dayOf(from), dayOf(to)
	if to.Before(from) {
		return nil, caunoi.Invalid(caunoi.FieldError{Field: "to", Key: "err.date.end_before_start"})
	}
	if to.Sub(from) > caunoi.MaxOccupancyDays*24*time.Hour {
		return nil, caunoi.Invalid(caunoi.FieldError{Field: "to", Key: "err.shelter.occupancy_range", Args: map[string]any{"Max": caunoi.MaxOccupancyDays}})
	}
	var out []caunoi.OccupancyDay
	err := s.db.inTx(ctx, false, func(tx *Tx) error {
		p, err := tx.shelterOf(ctx, providerID)
		if err != nil {
			return err
		}
		type span struct {
			from time.Time
			to   *time.Time // first day no longer counted
		}
		read := func(q string, args ...any) ([]span, error) {
			rows, err := tx.QueryContext(ctx, q, args...)
			if err != nil {
				return nil, fmt.Errorf("occupancy: %w", err)
			}
			defer rows.Close()
			var out []span
			for rows.Next() {
				var f time.Time
				var t sql.NullTime
				if err := rows.Scan(&f, &t); err != nil {
					return nil, fmt.Errorf("occupancy: %w", err)
				}
				sp := span{from: dayOf(f)}
				if t.Valid {
					d := dayOf(t.Time)
					sp.to = &d
				}
				out = append(out, sp)
			}
			return out, rows.Err()
		}
		beds, err := read("SELECT in_use_from, voided_at FROM shelter_beds WHERE provider_id = $1", p.ID)
		if err != nil {
			return err
		}
		stays, err := read(`SELECT admitted_on, discharged_on FROM shelter_stays WHERE provider_id = $1 AND voided_at IS NULL
			AND admitted_on <= $2 AND (discharged_on IS NULL OR discharged_on > $3)`, p.ID, to, from)
		if err != nil {
			return err
		}
		count := func(spans []span, d time.Time) int {
			n := 0
			for _, sp := range spans {
				if !sp.from.After(d) && (sp.to == nil || sp.to.After(d)) {
					n++
				}
			}
			return n
		}
		for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
			out = append(out, caunoi.OccupancyDay{Day: caunoi.Date(d), Beds: count(beds, d), Occupied: count(stays, d)})
		}
		return nil
	})
	return out, err
}
