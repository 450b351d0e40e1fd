package i18n_test

import (
	"testing"

	"caunoi"
	"caunoi/internal/i18n"
)

// The closed lists of money are translated in both languages, and sums in
// messages are written as each language writes numbers.
func TestMoneyEnumsAreTranslated(t *testing.T) {
	c := i18n.MustLoad()
	lists := map[string][]string{
		"funding_source": caunoi.FundingSources,
		"entry_kind":     caunoi.EntryKinds,
		"loan_status":    caunoi.LoanStatuses,
		"loan_method":    caunoi.LoanMethods,
		"loan_frequency": caunoi.LoanFrequencies,
		"recommendation": caunoi.Recommendations,
		"decision":       caunoi.Decisions,
		"cost_activity":  caunoi.CostActivities,
		"cost_unit":      caunoi.CostUnits,
		"action": {caunoi.ActionAppraise, caunoi.ActionApprove, caunoi.ActionReject, caunoi.ActionDisburse, caunoi.ActionRepay,
			caunoi.ActionWriteOff, caunoi.ActionReverse},
		"entity": {"fund", "fund_entry", "loan", "cost_norm", "budget_plan", "expenditure"},
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
	err := caunoi.Invalid(caunoi.FieldError{Field: "amount", Key: "err.loan.overpaid", Args: map[string]any{"Owed": int64(1_218_000)}})
	if _, f := c.For("vi").Error(err); f["amount"] != "Số tiền lớn hơn số còn phải trả: chỉ còn 1.218.000 đồng." {
		t.Errorf("vi: %q", f["amount"])
	}
	if _, f := c.For("en").Error(err); f["amount"] != "That is more than is owed: only 1,218,000 đồng is left to pay." {
		t.Errorf("en: %q", f["amount"])
	}
}
