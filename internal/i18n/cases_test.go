package i18n_test

import (
	"strconv"
	"testing"

	"caunoi"
	"caunoi/internal/i18n"
)

// The closed lists of the hotline, shelters and reintegration are shown to
// users by their catalogue names, in both languages.
func TestCasesEnumsAreTranslated(t *testing.T) {
	c := i18n.MustLoad()
	lists := map[string][]string{
		"case_channel": caunoi.CaseChannels, "caller_type": caunoi.CallerTypes, "case_issue": caunoi.CaseIssues,
		"rights_violator": caunoi.RightsViolators, "gbv_type": caunoi.GBVTypes, "violence_context": caunoi.ViolenceContexts,
		"risk": caunoi.RiskLevels, "case_action": caunoi.CaseActions, "case_status": {caunoi.CaseOpen, caunoi.CaseClosed},
		"case_outcome": caunoi.CaseOutcomes, "channel": caunoi.FollowUpChannels,
		"follow_up_status": {caunoi.FollowUpPlanned, caunoi.FollowUpDone, caunoi.FollowUpCancelled},
		"admission_reason": caunoi.AdmissionReasons, "discharge_reason": caunoi.DischargeReasons, "relation": caunoi.Relations,
		"influence": caunoi.Influences, "wellbeing": caunoi.FollowUpWellbeing, "reintegration_status": caunoi.ReintegrationStatuses,
		"reintegration_event": {caunoi.EventFollowUp, caunoi.EventRelapse},
	}
	for n := 1; n <= 3; n++ {
		lists["strength"] = append(lists["strength"], strconv.Itoa(n))
	}
	for prefix, values := range lists {
		for _, v := range values {
			for _, lang := range caunoi.Languages {
				if !c.Has(lang, prefix+"."+v) {
					t.Errorf("%s.%s is missing in %s", prefix, v, lang)
				}
			}
		}
	}
	// The GBVIMS types read as the field reads them.
	vi, en := c.For("vi"), c.For("en")
	if vi.T("gbv_type.rape") != "Hiếp dâm" || en.T("gbv_type.denial_of_resources") != "Denial of resources, opportunities or services" {
		t.Errorf("GBVIMS names: %q, %q", vi.T("gbv_type.rape"), en.T("gbv_type.denial_of_resources"))
	}
	if got := vi.N("reintegration.stat_mapped", 216); got != "Đã vẽ sơ đồ người ảnh hưởng cho 216 học viên chuẩn bị hồi gia" {
		t.Errorf("vi: %q", got)
	}
	if got := en.N("reintegration.stat_received", 168); got != "Received 168 returnees" {
		t.Errorf("en: %q", got)
	}
}
