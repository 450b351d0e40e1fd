package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"caunoi"
)

// The forms of a case's page: edit the assessment (and link a client to an
// anonymous case), record a follow-up, refer, close and void.

// caseAction runs one of the forms of a case's page: do returns the error.
// It goes back to the case's page with the flash, or shows the page again
// with the error and the form as posted.
func (s *Server) caseAction(w http.ResponseWriter, r *http.Request, flash string, do func(id string, f url.Values) error) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	id := r.PathValue("id")
	if err := do(id, r.PostForm); err != nil {
		switch caunoi.ErrorCode(err) {
		case caunoi.EINVALID, caunoi.ECONFLICT:
			p, perr := s.casePage(r, id)
			if perr != nil {
				s.fail(w, r, perr)
				return
			}
			s.formError(w, r, "case", p, err)
		default:
			s.fail(w, r, err)
		}
		return
	}
	s.redirect(w, r, "/cases/"+id, flash)
}

// versionOf reads the version a form was shown with.
func versionOf(f url.Values) int {
	n, _ := strconv.Atoi(f.Get("version"))
	return n
}

// caseEdit shows the form that changes a case's assessment: what the case
// holds, or the search of a client to link with ?q=.
func (s *Server) caseEdit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	c, err := s.Hotline.FindCaseByID(ctx, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !c.Open() || c.Voided() {
		s.fail(w, r, caunoi.Errorf(caunoi.ECONFLICT, "err.case.closed", nil))
		return
	}
	v := caseValues(c)
	v.Set("q", r.URL.Query().Get("q"))
	p, _, err := s.caseEditForm(r, c, v)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "case_edit", p)
}

// caseEditData is the intake form's data with the case being changed.
type caseEditData struct {
	*caseFormData
	Case *caunoi.HotlineCase
}

func (s *Server) caseEditForm(r *http.Request, c *caunoi.HotlineCase, v url.Values) (*page, *caseEditData, error) {
	p, fd, err := s.caseForm(r, v, "page.case_edit")
	if err != nil {
		return nil, nil, err
	}
	d := &caseEditData{caseFormData: fd, Case: c}
	p.Data = d
	return p, d, nil
}

// caseValues writes a case into the values of the form.
func caseValues(c *caunoi.HotlineCase) url.Values {
	v := url.Values{"version": {strconv.Itoa(c.Version)}, "client_id": {c.ClientID}, "caller_type": {c.CallerType}, "risk": {c.Risk},
		"summary": {c.Summary}, "safety_plan": {c.SafetyPlan}, "issues": c.Issues, "rights_violators": c.RightsViolators,
		"violence_types": c.ViolenceTypes, "violence_contexts": c.ViolenceContexts, "actions": c.Actions, "org_id": {c.OrgID}}
	if c.NextFollowUpOn != nil {
		v.Set("next_follow_up_on", day(time.Time(*c.NextFollowUpOn)))
	}
	return v
}

// caseUpdate changes a case from the edit form.
func (s *Server) caseUpdate(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	id := r.PathValue("id")
	f := r.PostForm
	var fields []caunoi.FieldError
	u := caunoi.CaseUpdate{Version: versionOf(f)}
	str := func(name string) *string { v := f.Get(name); return &v }
	list := func(name string) *[]string { v := append([]string{}, f[name]...); return &v }
	u.CallerType, u.Risk, u.Summary, u.SafetyPlan = str("caller_type"), str("risk"), str("summary"), str("safety_plan")
	u.Issues, u.RightsViolators, u.ViolenceTypes, u.ViolenceContexts, u.Actions = list("issues"), list("rights_violators"),
		list("violence_types"), list("violence_contexts"), list("actions")
	if c := strings.TrimSpace(f.Get("client_id")); c != "" {
		u.ClientID = &c
	}
	u.NextFollowUpOn = optionalDay(f, "next_follow_up_on", &fields)
	err := fwFieldErrors(fields)
	if err == nil {
		_, err = s.Hotline.UpdateCase(ctx, id, u)
	}
	if err != nil {
		switch caunoi.ErrorCode(err) {
		case caunoi.EINVALID, caunoi.ECONFLICT:
			c, ferr := s.Hotline.FindCaseByID(ctx, id)
			if ferr != nil {
				s.fail(w, r, ferr)
				return
			}
			p, _, perr := s.caseEditForm(r, c, fwClone(f))
			if perr != nil {
				s.fail(w, r, perr)
				return
			}
			s.formError(w, r, "case_edit", p, err)
		default:
			s.fail(w, r, err)
		}
		return
	}
	s.redirect(w, r, "/cases/"+id, "msg.saved")
}

// caseFollowUp records a follow-up done.
func (s *Server) caseFollowUp(w http.ResponseWriter, r *http.Request) {
	s.caseAction(w, r, "msg.follow_up_saved", func(id string, f url.Values) error {
		var fields []caunoi.FieldError
		rec := caunoi.FollowUpRecord{Version: versionOf(f), Channel: f.Get("channel"), Reached: f.Get("reached") != "",
			Note: f.Get("note"), Risk: f.Get("risk")}
		rec.DoneOn = fwDay(f, "done_on", &fields)
		rec.NextOn = optionalDay(f, "next_on", &fields)
		if err := fwFieldErrors(fields); err != nil {
			return err
		}
		_, err := s.Hotline.RecordFollowUp(r.Context(), id, rec)
		return err
	})
}

// caseRefer refers the case's client to a provider for a service, chosen
// together as "provider|service".
func (s *Server) caseRefer(w http.ResponseWriter, r *http.Request) {
	s.caseAction(w, r, "msg.referral_saved", func(id string, f url.Values) error {
		var fields []caunoi.FieldError
		provider, service, _ := strings.Cut(f.Get("target"), "|")
		if provider == "" {
			fields = append(fields, caunoi.FieldError{Field: "provider_id", Key: "err.field.required"})
		}
		ref := &caunoi.Referral{ID: f.Get("referral_id"), ProviderID: provider, ServiceKind: service, Reason: f.Get("reason")}
		ref.ReferredOn = fwDay(f, "referred_on", &fields)
		if d := optionalDay(f, "due_on", &fields); d != nil {
			ref.DueOn = *d
		}
		if err := fwFieldErrors(fields); err != nil {
			return err
		}
		_, err := s.Hotline.ReferCase(r.Context(), id, versionOf(f), ref)
		return err
	})
}

// caseClose closes a case.
func (s *Server) caseClose(w http.ResponseWriter, r *http.Request) {
	s.caseAction(w, r, "msg.case_closed", func(id string, f url.Values) error {
		var fields []caunoi.FieldError
		k := caunoi.CaseClosing{Version: versionOf(f), Outcome: f.Get("outcome"), Note: f.Get("note")}
		k.ClosedOn = fwDay(f, "closed_on", &fields)
		if err := fwFieldErrors(fields); err != nil {
			return err
		}
		_, err := s.Hotline.CloseCase(r.Context(), id, k)
		return err
	})
}

// caseVoid voids a case with the reason given.
func (s *Server) caseVoid(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	if _, err := s.Hotline.VoidCase(r.Context(), r.PathValue("id"), versionOf(r.PostForm), r.PostForm.Get("reason")); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/cases", "msg.voided")
}
