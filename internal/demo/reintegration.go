package demo

import (
	"fmt"

	"caunoi"
)

// Seed 003, An Giang: the reintegration clubs mapped the people who
// influence 216 residents of the rehabilitation centre preparing to
// return, and received 168 returnees. The demo makes exactly these: each
// resident a client of a club of the ward they return to, with an
// influence map; 168 of them back home, received by that club, followed
// up, a few relapsed.
const (
	demoResidents = 216
	demoReceived  = 168
)

// reintClubs shares the residents between the clubs of the network; the
// shares add up to demoResidents, and the received to demoReceived.
var reintClubs = []struct {
	org                 string
	residents, received int
}{
	{"mybinh", 60, 47},
	{"mylong", 54, 42},
	{"myxuyen", 54, 42},
	{"binhduc", 48, 37},
}

// influenceSets are the maps drawn at the centre: who, how and how much.
var influenceSets = [][]caunoi.InfluencePerson{
	{{Name: "Mẹ", Relation: "mother", Influence: caunoi.InfluencePositive, Strength: 3, Contactable: true},
		{Name: "Anh Hai", Relation: "sibling", Influence: caunoi.InfluencePositive, Strength: 2, Contactable: true},
		{Name: "Tư Mập", Relation: "drug_using_friend", Influence: caunoi.InfluenceNegative, Strength: 3}},
	{{Name: "Vợ", Relation: "spouse", Influence: caunoi.InfluencePositive, Strength: 3, Contactable: true},
		{Name: "Bé Na", Relation: "child", Influence: caunoi.InfluencePositive, Strength: 2},
		{Name: "Nhóm bạn chợ cá", Relation: "drug_using_friend", Influence: caunoi.InfluenceNegative, Strength: 2},
		{Name: "Chú Sáu tổ trưởng", Relation: "local_official", Influence: caunoi.InfluencePositive, Strength: 1, Contactable: true}},
	{{Name: "Ba", Relation: "father", Influence: caunoi.InfluenceNegative, Strength: 2, Contactable: true},
		{Name: "Dì Út", Relation: "relative", Influence: caunoi.InfluencePositive, Strength: 2, Contactable: true}},
	{{Name: "Mẹ", Relation: "mother", Influence: caunoi.InfluencePositive, Strength: 2, Contactable: true},
		{Name: "Anh Bảy cai thầu", Relation: "employer", Influence: caunoi.InfluencePositive, Strength: 2, Contactable: true},
		{Name: "Chủ nhiệm CLB", Relation: "club_member", Influence: caunoi.InfluencePositive, Strength: 3, Contactable: true},
		{Name: "Bạn cũ ở bến phà", Relation: "drug_using_friend", Influence: caunoi.InfluenceNegative, Strength: 3}},
	{{Name: "Người yêu", Relation: "partner", Influence: caunoi.InfluenceNegative, Strength: 2},
		{Name: "Chị Ba", Relation: "sibling", Influence: caunoi.InfluencePositive, Strength: 3, Contactable: true},
		{Name: "Đồng đẳng viên Hậu", Relation: "peer_educator", Influence: caunoi.InfluencePositive, Strength: 2, Contactable: true}},
}

// makeReintegration prepares the residents' return in An Giang, and one
// each in Khánh Hòa and Quảng Ninh.
func (h *hotlineLoader) makeReintegration() error {
	for _, club := range reintClubs {
		for i := range club.residents {
			if err := h.resident(club.org, "ag_rehab", i < club.received, false); err != nil {
				return err
			}
		}
	}
	// A member of Sóng Biển who uses drugs, and a worker of Hạ Long, in
	// their provinces' centres.
	if err := h.resident("songbien", "kh_rehab", false, true); err != nil {
		return err
	}
	return h.resident("halong", "qn_rehab", false, true)
}

// resident registers a resident of a centre as a client of the club,
// draws the influence map and, if returned, records the handover,
// follow-ups and perhaps a relapse.
func (h *hotlineLoader) resident(orgKey, centre string, returned, female bool) error {
	org := h.orgs[orgKey]
	c := &caunoi.Client{OrgID: org.ID, Populations: []caunoi.Population{caunoi.PopDrugUse, caunoi.PopPostRehab}, Sex: "male",
		BirthYear: h.between(1975, 2002), Residence: "local"}
	c.Nickname = nicknamesMale[h.rng.IntN(len(nicknamesMale))]
	if female || h.pct(10) {
		c.Sex, c.Nickname = "female", nicknamesFemale[h.rng.IntN(len(nicknamesFemale))]
	}
	if h.pct(70) {
		c.UIC = h.uic(c.BirthYear, c.Sex)
	}
	if err := h.clients.CreateClient(h.ctx, c); err != nil {
		return fmt.Errorf("demo: resident of %q: %w", org.Name, err)
	}
	h.sum.Clients++
	back := h.day(30, 330)
	expected := back
	if !returned {
		expected = h.day(0, 0).AddDate(0, 0, h.between(7, 120))
	}
	r := &caunoi.Reintegration{OrgID: org.ID, ClientID: c.ID, CentreID: h.prov[centre].ID, ExpectedOn: caunoi.Date(expected)}
	if err := h.reint.CreateReintegration(h.ctx, r); err != nil {
		return fmt.Errorf("demo: reintegration in %q: %w", org.Name, err)
	}
	for _, p := range influenceSets[h.rng.IntN(len(influenceSets))] {
		if err := h.reint.AddInfluencePerson(h.ctx, r.ID, &p); err != nil {
			return fmt.Errorf("demo: influence map in %q: %w", org.Name, err)
		}
	}
	if !returned {
		return nil
	}
	var err error
	if r, err = h.reint.RecordReturn(h.ctx, r.ID, caunoi.ReturnHandover{Version: r.Version, ReturnedOn: caunoi.Date(back), ClubID: org.ID,
		Note: "Gia đình và chủ nhiệm CLB đón tại trung tâm"}); err != nil {
		return fmt.Errorf("demo: return in %q: %w", org.Name, err)
	}
	on := back
	today := h.day(0, 0)
	for range h.between(1, 3) {
		on = on.AddDate(0, 0, h.between(7, 30))
		if on.After(today) {
			break
		}
		e := caunoi.EventRecord{Version: r.Version, On: caunoi.Date(on), Wellbeing: pick(h.loader, []w[string]{{"stable", 70}, {"struggling", 20}, {"at_risk", 10}})}
		if r, err = h.reint.RecordEvent(h.ctx, r.ID, caunoi.EventFollowUp, e); err != nil {
			return fmt.Errorf("demo: follow-up in %q: %w", org.Name, err)
		}
	}
	if h.pct(10) && !on.After(today) {
		if _, err := h.reint.RecordEvent(h.ctx, r.ID, caunoi.EventRelapse, caunoi.EventRecord{Version: r.Version, On: caunoi.Date(on)}); err != nil {
			return fmt.Errorf("demo: relapse in %q: %w", org.Name, err)
		}
	}
	return nil
}
