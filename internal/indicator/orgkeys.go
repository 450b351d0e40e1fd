package indicator

import (
	"slices"
	"strings"

	"caunoi"
)

// OrgKeys tell, for each organisation, the province it counts under and
// the models it runs. The province is the administrative unit of the
// organisation or of its nearest ancestor that has one, a commune's
// province for a commune, and a merged unit's successor (followed to the
// unit in force) for a unit that no longer exists.
type OrgKeys struct {
	Province      map[string]string   // org id → province code ("" when none)
	Models        map[string][]string // org id → models
	ProvinceNames map[string]string   // province code → name
}

// NewOrgKeys works the keys out for every organisation of orgs, which must
// hold each one's ancestors.
func NewOrgKeys(orgs []*caunoi.Organisation, units []*caunoi.AdminUnit) OrgKeys {
	byID := make(map[string]*caunoi.Organisation, len(orgs))
	for _, o := range orgs {
		byID[o.ID] = o
	}
	unit := make(map[string]*caunoi.AdminUnit, len(units))
	for _, u := range units {
		unit[u.Code] = u
	}
	k := OrgKeys{Province: map[string]string{}, Models: map[string][]string{}, ProvinceNames: map[string]string{}}
	for _, o := range orgs {
		code := ""
		for a, depth := o, 0; a != nil && depth < 64; a, depth = byID[a.ParentID], depth+1 {
			if a.AdminUnitCode != "" {
				code = a.AdminUnitCode
				break
			}
		}
		if p := provinceOf(code, unit); p != nil {
			k.Province[o.ID] = p.Code
			k.ProvinceNames[p.Code] = p.Name
		} else {
			k.Province[o.ID] = ""
		}
		ms := make([]string, len(o.Models))
		for i, m := range o.Models {
			ms[i] = string(m)
		}
		k.Models[o.ID] = ms
	}
	return k
}

// provinceOf returns the province in force that the unit code counts
// under, or nil.
func provinceOf(code string, unit map[string]*caunoi.AdminUnit) *caunoi.AdminUnit {
	u := unit[code]
	for hops := 0; u != nil && hops < 16; hops++ {
		switch {
		case u.Level == caunoi.LevelCommune:
			u = unit[u.ParentCode]
		case u.SuccessorCode != "" && unit[u.SuccessorCode] != nil:
			u = unit[u.SuccessorCode]
		default:
			return u
		}
	}
	return u
}

// ModelList returns an organisation's models as the rollup stores them:
// ",a,b,".
func (k OrgKeys) ModelList(orgID string) string {
	ms := k.Models[orgID]
	if len(ms) == 0 {
		return ""
	}
	return "," + strings.Join(ms, ",") + ","
}

// provinces returns the provinces of the organisations, by name.
func (k OrgKeys) provinces(orgs []*caunoi.Organisation) []string {
	var out []string
	for _, o := range orgs {
		if p := k.Province[o.ID]; p != "" && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b string) int {
		return strings.Compare(caunoi.Fold(k.ProvinceNames[a]), caunoi.Fold(k.ProvinceNames[b]))
	})
	return out
}
