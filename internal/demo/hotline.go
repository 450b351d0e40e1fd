package demo

import (
	"fmt"
	"slices"
	"sort"
	"time"

	"caunoi"
	"caunoi/internal/sqldb"
)

// The hotline, shelters and reintegration of the demo, from the seeds:
// Hải Phòng's hotline (seed 000), the domestic-violence victims helped by
// Sóng Biển (seed 001: more than 10), the workers' rights counselled via
// Zalo in Hạ Long (seed 002), shelter from violence, a few days at most
// (seed 004), and An Giang's club network, which mapped the influence of
// 216 residents preparing to return and received 168 returnees (seed 003).

// hotlineLoader holds the state of the hotline part of one Load.
type hotlineLoader struct {
	*loader
	providers *sqldb.ProviderService
	hotline   *sqldb.HotlineService
	shelters  *sqldb.ShelterService
	reint     *sqldb.ReintegrationService
	referrals *sqldb.ReferralService
	prov      map[string]*caunoi.Provider
	beds      map[string][]*demoBed // shelter key → its beds
}

// demoBed is a bed of a demo shelter and the first day it is free again.
type demoBed struct {
	bed  *caunoi.ShelterBed
	free time.Time
}

// hotlineProvider is a provider the hotline part needs. The directory of
// the services part may hold it already (the same name and kind): it is
// then used as it is.
type hotlineProvider struct {
	key, org, kind, name, address, unit, contact string
	services                                     []string
	beds                                         int
}

var hotlineProviders = []hotlineProvider{
	{"hp_shelter", "haiphong", caunoi.ProviderShelter, "Nhà tạm lánh – Trung tâm Công tác xã hội Hải Phòng", "Kiến An, Hải Phòng", "31", "1800 599 978",
		[]string{caunoi.ServiceCounselling, caunoi.ServiceMaterialSupport}, 6},
	{"hp_legal", "haiphong", caunoi.ProviderLegalAidCentre, "Trung tâm Trợ giúp pháp lý nhà nước thành phố Hải Phòng", "Hồng Bàng, Hải Phòng", "31", "0225 3 551 466",
		[]string{caunoi.ServiceLegalAid, caunoi.ServiceIdentityPapers}, 0},
	{"hp_ctxh", "haiphong", caunoi.ProviderSocialWorkCentre, "Trung tâm Công tác xã hội Hải Phòng", "Kiến An, Hải Phòng", "31", "1800 599 978",
		[]string{caunoi.ServiceCounselling, caunoi.ServiceMaterialSupport, caunoi.ServiceHealthInsurance}, 0},
	{"kh_shelter", "khanhhoa", caunoi.ProviderShelter, "Nhà tạm lánh – Trung tâm Công tác xã hội tỉnh Khánh Hòa", "Nha Trang, Khánh Hòa", "56", "1800 1567",
		[]string{caunoi.ServiceCounselling, caunoi.ServiceMaterialSupport}, 4},
	{"kh_legal", "khanhhoa", caunoi.ProviderLegalAidCentre, "Trung tâm Trợ giúp pháp lý nhà nước tỉnh Khánh Hòa", "Nha Trang, Khánh Hòa", "56", "0258 3 815 455",
		[]string{caunoi.ServiceLegalAid, caunoi.ServiceIdentityPapers}, 0},
	{"kh_rehab", "khanhhoa", caunoi.ProviderRehabCentre, "Cơ sở cai nghiện ma túy tỉnh Khánh Hòa", "Cam Lâm, Khánh Hòa", "56", "0258 3 860 250",
		[]string{caunoi.ServiceCounselling, caunoi.ServiceVocationalTraining}, 0},
	{"qn_shelter", "quangninh", caunoi.ProviderShelter, "Nhà tạm lánh – Trung tâm Công tác xã hội tỉnh Quảng Ninh", "Hạ Long, Quảng Ninh", "22", "0203 3 835 979",
		[]string{caunoi.ServiceCounselling, caunoi.ServiceMaterialSupport}, 3},
	{"qn_legal", "quangninh", caunoi.ProviderLegalAidCentre, "Trung tâm Trợ giúp pháp lý nhà nước tỉnh Quảng Ninh", "Hạ Long, Quảng Ninh", "22", "0203 3 628 818",
		[]string{caunoi.ServiceLegalAid, caunoi.ServiceIdentityPapers}, 0},
	{"qn_rehab", "quangninh", caunoi.ProviderRehabCentre, "Cơ sở cai nghiện ma túy tỉnh Quảng Ninh", "Vân Đồn, Quảng Ninh", "22", "0203 3 793 118",
		[]string{caunoi.ServiceCounselling, caunoi.ServiceVocationalTraining}, 0},
	{"ag_rehab", "angiang", caunoi.ProviderRehabCentre, "Cơ sở cai nghiện ma túy tỉnh An Giang", "An Giang", "91", "0296 3 833 456",
		[]string{caunoi.ServiceCounselling, caunoi.ServiceVocationalTraining}, 0},
}

// makeHotline loads the shelters' beds, the hotline cases with their
// follow-ups, referrals and shelter stays, and the reintegration of
// residents of rehabilitation centres.
func (l *loader) makeHotline(db *sqldb.DB) error {
	h := &hotlineLoader{loader: l, providers: sqldb.NewProviderService(db), hotline: sqldb.NewHotlineService(db),
		shelters: sqldb.NewShelterService(db), reint: sqldb.NewReintegrationService(db), referrals: sqldb.NewReferralService(db),
		prov: map[string]*caunoi.Provider{}, beds: map[string][]*demoBed{}}
	if err := h.directory(); err != nil {
		return err
	}
	var specs []caseSpec
	for _, g := range hotlineGroups {
		clients, err := h.clientsOf(g.org)
		if err != nil {
			return err
		}
		specs = append(specs, h.groupCases(g, clients)...)
	}
	// Oldest first, so that the shelters' beds fill and free in order.
	sort.SliceStable(specs, func(i, j int) bool { return specs[i].daysAgo > specs[j].daysAgo })
	for _, s := range specs {
		if err := h.makeCase(s); err != nil {
			return err
		}
	}
	return h.makeReintegration()
}

// directory finds the providers the hotline needs, or adds them, and
// gives the shelters their beds.
func (h *hotlineLoader) directory() error {
	opened := caunoi.Date(h.day(400, 400))
	for _, p := range hotlineProviders {
		list, _, err := h.providers.FindProviders(h.ctx, caunoi.ProviderFilter{Kind: p.kind, Query: p.name, Page: caunoi.Page{Limit: 20}})
		if err != nil {
			return fmt.Errorf("demo: provider %q: %w", p.name, err)
		}
		for _, x := range list {
			if x.Name == p.name && x.OrgID == h.orgs[p.org].ID {
				h.prov[p.key] = x
			}
		}
		if h.prov[p.key] == nil {
			pr := &caunoi.Provider{OrgID: h.orgs[p.org].ID, Kind: p.kind, Name: p.name, Services: p.services, Address: p.address,
				AdminUnitCode: p.unit, Contact: p.contact, OpeningHours: "24/7", Friendly: true}
			if err := h.providers.CreateProvider(h.ctx, pr); err != nil {
				return fmt.Errorf("demo: provider %q: %w", p.name, err)
			}
			h.prov[p.key] = pr
		}
		for i := range p.beds {
			b := &caunoi.ShelterBed{ProviderID: h.prov[p.key].ID, Label: fmt.Sprintf("Giường %d", i+1), InUseFrom: opened}
			if err := h.shelters.AddBed(h.ctx, b); err != nil {
				return fmt.Errorf("demo: bed of %q: %w", p.name, err)
			}
			h.beds[p.key] = append(h.beds[p.key], &demoBed{bed: b, free: time.Time(opened)})
		}
	}
	return nil
}

// clientsOf lists the group's live clients who are still met.
func (h *hotlineLoader) clientsOf(org string) ([]*caunoi.Client, error) {
	list, _, err := h.clients.FindClients(h.ctx, caunoi.ClientFilter{OrgID: h.orgs[org].ID, Page: caunoi.Page{Limit: caunoi.MaxPageSize}})
	if err != nil {
		return nil, fmt.Errorf("demo: clients of %q: %w", org, err)
	}
	return slices.DeleteFunc(list, func(c *caunoi.Client) bool { return c.Status != "active" }), nil
}

// caseSpec is one call to make.
type caseSpec struct {
	org, worker      string
	daysAgo          int
	hour             int
	scene            *scene
	client           *caunoi.Client // nil: anonymous
	anonPop          caunoi.Population
	shelter          string // the shelter's key, if the person stays
	nights           int
	referTo          string // the provider's key, if referred
	open, overdueNow bool
}

// scene is a kind of call the field reports describe.
type scene struct {
	channel                                    string
	caller                                     string
	issues, violators, types, contexts, action []string
	risk                                       string
	summary, plan                              string
	referKind                                  string
	// declines: the person decided against the service referred (a
	// victim of domestic violence not ready to go to law, say).
	declines bool
}

// hotlineGroup says which calls a group's hotline takes.
type hotlineGroup struct {
	org, worker string
	calls       []groupCalls
}

// groupCalls is a number of calls of a scene, some named and some
// sheltered or referred.
type groupCalls struct {
	scene                   *scene
	count                   int
	named, sheltered, refer int
	shelter, provider       string
	open                    int // the most recent ones stay open
	pop                     caunoi.Population
}

var (
	sceneDomestic = &scene{channel: "phone", caller: "self", issues: []string{caunoi.IssueGBV},
		types: []string{caunoi.GBVPhysicalAssault, caunoi.GBVPsychologicalAbuse}, contexts: []string{"domestic_violence", "intimate_partner"},
		action: []string{"counselling", "safety_planning"}, risk: caunoi.RiskHigh,
		summary: "Chồng say rượu đánh, đuổi ra khỏi nhà lúc nửa đêm; có vết bầm ở tay và mặt. Chị sợ về nhà.",
		plan:    "Tối nay ngủ nhà chị gái ở phường bên. Nếu chồng tìm đến thì gọi ngay đường dây nóng hoặc 113.", referKind: caunoi.ServiceLegalAid,
		declines: true}
	sceneDomesticMoney = &scene{channel: "zalo", caller: "self", issues: []string{caunoi.IssueGBV},
		types: []string{caunoi.GBVPsychologicalAbuse, caunoi.GBVDenialOfResources}, contexts: []string{"domestic_violence"},
		action: []string{"counselling", "information"}, risk: caunoi.RiskMedium,
		summary: "Gia đình chồng giữ hết tiền, không cho gửi tiền nuôi con, chửi mắng hằng ngày.",
		plan:    "Giữ giấy tờ tùy thân bên người; hẹn gặp đồng đẳng viên ở nhóm vào chiều thứ Năm.", referKind: caunoi.ServiceLegalAid,
		declines: true}
	sceneClientAssault = &scene{channel: "phone", caller: "self", issues: []string{caunoi.IssueRightsViolation, caunoi.IssueGBV},
		violators: []string{"client"}, types: []string{caunoi.GBVRape, caunoi.GBVPhysicalAssault}, contexts: []string{"by_client", "during_sex_work"},
		action: []string{"counselling", "accompanied", "medical_care"}, risk: caunoi.RiskCritical,
		summary: "Bị khách cưỡng ép quan hệ không bao cao su và đánh ở nhà nghỉ; cần khám và dự phòng sau phơi nhiễm.",
		plan:    "Đồng đẳng viên đi cùng đến bệnh viện trong đêm; không quay lại nhà nghỉ đó.", referKind: caunoi.ServiceCounselling}
	sceneEmployer = &scene{channel: "zalo", caller: "self", issues: []string{caunoi.IssueRightsViolation, caunoi.IssueExploitation},
		violators: []string{"employer"}, action: []string{"counselling", "legal_advice"}, risk: caunoi.RiskMedium,
		summary: "Chủ quán giữ chứng minh thư, trừ lương vì không tiếp khách đủ giờ, không trả tiền tháng trước.",
		plan:    "Chụp lại tin nhắn với chủ quán; không ký giấy tờ gì khi chưa hỏi nhóm.", referKind: caunoi.ServiceLegalAid}
	sceneEmployerAssault = &scene{channel: "zalo", caller: "peer_educator", issues: []string{caunoi.IssueRightsViolation, caunoi.IssueGBV},
		violators: []string{"employer"}, types: []string{caunoi.GBVSexualAssault, caunoi.GBVPsychologicalAbuse}, contexts: []string{"by_employer"},
		action: []string{"counselling", "safety_planning", "shelter"}, risk: caunoi.RiskHigh,
		summary: "Quản lý cơ sở sàm sỡ, đe dọa đuổi việc nếu báo ai; chị muốn nghỉ nhưng không có chỗ ở.",
		plan:    "Tạm lánh vài ngày; nhóm liên hệ trợ giúp pháp lý để đòi lương và giấy tờ.", referKind: caunoi.ServiceLegalAid}
	scenePolice = &scene{channel: "phone", caller: "friend", issues: []string{caunoi.IssueRightsViolation}, violators: []string{"police"},
		action: []string{"information", "legal_advice"}, risk: caunoi.RiskMedium,
		summary: "Bị giữ điện thoại và bao cao su khi kiểm tra hành chính ở quán, bị lập biên bản không rõ lý do.",
		plan:    "Ghi lại thời gian, địa điểm; trợ giúp pháp lý hướng dẫn yêu cầu trả lại đồ.", referKind: caunoi.ServiceLegalAid}
	sceneHealth = &scene{channel: "phone", caller: "self", issues: []string{caunoi.IssueHealth}, action: []string{"information", "referral"},
		risk: caunoi.RiskLow, summary: "Hỏi chỗ xét nghiệm HIV miễn phí và khám phụ khoa kín đáo.", referKind: caunoi.ServiceCounselling}
	sceneOverdose = &scene{channel: "phone", caller: "friend", issues: []string{caunoi.IssueOverdose},
		action: []string{"naloxone", "emergency_call", "medical_care"}, risk: caunoi.RiskCritical,
		summary: "Bạn gọi báo có người bất tỉnh sau khi chích ở gầm cầu; nhóm đến dùng Naloxone và gọi 115."}
	sceneOther = &scene{channel: "walk_in", caller: "family", issues: []string{caunoi.IssueOther}, action: []string{"counselling"},
		risk: caunoi.RiskLow, summary: "Mẹ của một thành viên đến hỏi cách giúp con làm lại giấy khai sinh."}
)

// hotlineGroups are the demo's hotlines: Hải Phòng's (seed 000), Sóng
// Biển's domestic-violence victims (seed 001: 10+ helped, 12 here),
// overdose calls of Vòng tay bè bạn (seed 000) and the workers' rights
// counselled via Zalo in Hạ Long (seed 002).
var hotlineGroups = []hotlineGroup{
	{"hoaphuong", "hoaphuong.dongdang", []groupCalls{
		{scene: sceneDomestic, count: 5, named: 2, sheltered: 2, refer: 1, shelter: "hp_shelter", provider: "hp_legal", open: 1},
		{scene: sceneClientAssault, count: 6, named: 2, sheltered: 1, refer: 2, shelter: "hp_shelter", provider: "hp_ctxh", open: 1},
		{scene: sceneEmployer, count: 4, named: 2, refer: 2, provider: "hp_legal"},
		{scene: scenePolice, count: 2, named: 1, refer: 1, provider: "hp_legal"},
		{scene: sceneHealth, count: 4, named: 1, refer: 1, provider: "hp_ctxh", open: 1},
		{scene: sceneOther, count: 3},
	}},
	{"vongtay", "vongtay.dongdang", []groupCalls{
		{scene: sceneOverdose, count: 4, pop: caunoi.PopDrugUse},
	}},
	{"songbien", "songbien.dongdang", []groupCalls{
		{scene: sceneDomestic, count: 8, named: 8, sheltered: 4, refer: 4, shelter: "kh_shelter", provider: "kh_legal", open: 2},
		{scene: sceneDomesticMoney, count: 4, named: 4, sheltered: 1, refer: 2, shelter: "kh_shelter", provider: "kh_legal"},
		{scene: sceneClientAssault, count: 3, named: 1, provider: "kh_legal"},
		{scene: sceneHealth, count: 3},
	}},
	{"halong", "halong.dongdang", []groupCalls{
		{scene: sceneEmployer, count: 6, named: 3, refer: 3, provider: "qn_legal", open: 1},
		{scene: sceneEmployerAssault, count: 2, named: 2, sheltered: 2, refer: 1, shelter: "qn_shelter", provider: "qn_legal", open: 1},
	}},
}

// groupCases spreads a group's calls over the last year: the open ones
// in the last days, the rest earlier; named calls go to the group's
// clients, one client a call.
func (h *hotlineLoader) groupCases(g hotlineGroup, clients []*caunoi.Client) []caseSpec {
	var out []caseSpec
	next := 0
	for _, gc := range g.calls {
		for i := range gc.count {
			s := caseSpec{org: g.org, worker: g.worker, scene: gc.scene, daysAgo: h.between(25, 350), hour: h.between(7, 23), anonPop: gc.pop}
			if s.anonPop == "" {
				s.anonPop = caunoi.PopSexWork
			}
			if i < gc.open {
				// Open calls of the last days; the first of each is followed
				// up late, so that the duty view shows an overdue follow-up.
				s.open, s.overdueNow, s.daysAgo = true, i == 0, h.between(3, 9)
			}
			if i < gc.named && next < len(clients) {
				s.client = clients[next]
				next++
			}
			if i < gc.sheltered {
				s.shelter, s.nights = gc.shelter, h.between(1, caunoi.DefaultShelterStayDays)
			}
			if i < gc.refer && s.client != nil {
				s.referTo = gc.provider
			}
			out = append(out, s)
		}
	}
	return out
}

// makeCase records a call and what followed: a shelter stay, a referral,
// follow-ups and, unless it is still open, the closing.
func (h *hotlineLoader) makeCase(s caseSpec) error {
	org := h.orgs[s.org]
	day := h.day(s.daysAgo, s.daysAgo)
	at := time.Date(day.Year(), day.Month(), day.Day(), s.hour, h.rng.IntN(60), 0, 0, caunoi.Zone)
	if at.After(h.now) {
		at = h.now.Add(-time.Hour)
	}
	sc := s.scene
	c := &caunoi.HotlineCase{OrgID: org.ID, ReceivedAt: at, Channel: sc.channel, CallerType: sc.caller, Issues: sc.issues,
		RightsViolators: sc.violators, ViolenceTypes: sc.types, ViolenceContexts: sc.contexts, Risk: sc.risk, Actions: sc.action,
		Summary: sc.summary, SafetyPlan: sc.plan, TakenBy: h.users[s.worker].ID}
	if s.client != nil {
		c.ClientID = s.client.ID
	} else {
		c.AnonSex, c.AnonPopulation = "female", s.anonPop
		if s.anonPop == caunoi.PopDrugUse {
			c.AnonSex = "male"
		}
	}
	if s.open && s.overdueNow {
		d := caunoi.Date(day.AddDate(0, 0, 1))
		c.NextFollowUpOn = &d
	}
	if err := h.hotline.CreateCase(h.ctx, c); err != nil {
		return fmt.Errorf("demo: hotline case of %q: %w", org.Name, err)
	}
	if s.shelter != "" {
		if err := h.stay(s, c, day); err != nil {
			return err
		}
	}
	var err error
	if s.referTo != "" {
		r := &caunoi.Referral{ProviderID: h.prov[s.referTo].ID, ServiceKind: sc.referKind, ReferredOn: caunoi.Date(day),
			ReferredBy: h.users[s.worker].ID}
		if c, err = h.hotline.ReferCase(h.ctx, c.ID, c.Version, r); err != nil {
			return fmt.Errorf("demo: referral of a case of %q: %w", org.Name, err)
		}
		if s.daysAgo > 20 {
			closed := caunoi.Date(day.AddDate(0, 0, h.between(2, 10)))
			t := caunoi.ReferralTransition{Version: r.Version, Status: caunoi.ReferralReached, ClosedOn: closed,
				Service: &caunoi.Service{GivenOn: closed, WorkerID: h.users[s.worker].ID}}
			if sc.declines {
				t = caunoi.ReferralTransition{Version: r.Version, Status: caunoi.ReferralDeclined, ClosedOn: closed,
					Outcome: "Chị chưa muốn làm thủ tục pháp lý"}
			}
			if _, err := h.referrals.TransitionReferral(h.ctx, r.ID, t); err != nil {
				return fmt.Errorf("demo: referral reached, of %q: %w", org.Name, err)
			}
		}
	}
	if s.open {
		return nil
	}
	// Followed up once or twice, then closed.
	done := day
	for k := range h.between(1, 2) {
		done = done.AddDate(0, 0, h.between(1, 4))
		f := caunoi.FollowUpRecord{Version: c.Version, DoneOn: caunoi.Date(done), Channel: []string{"phone", "zalo", "in_person"}[k%3], Reached: h.pct(85),
			Note: followUpNotes[h.rng.IntN(len(followUpNotes))]}
		if c, err = h.hotline.RecordFollowUp(h.ctx, c.ID, f); err != nil {
			return fmt.Errorf("demo: follow-up of a case of %q: %w", org.Name, err)
		}
	}
	outcome := "resolved"
	if s.referTo != "" {
		outcome = "referred"
	}
	k := caunoi.CaseClosing{Version: c.Version, ClosedOn: caunoi.Date(done.AddDate(0, 0, h.between(0, 5))), Outcome: outcome}
	if _, err := h.hotline.CloseCase(h.ctx, c.ID, k); err != nil {
		return fmt.Errorf("demo: closing a case of %q: %w", org.Name, err)
	}
	return nil
}

var followUpNotes = []string{
	"Gọi lại: chị đã an toàn, đang ở nhà người thân.",
	"Nhắn Zalo hỏi thăm; hẹn tuần sau gặp ở nhóm.",
	"Đã đi khám, được tư vấn dự phòng sau phơi nhiễm.",
	"Chưa liên lạc được; để lại lời nhắn.",
	"Đã nhận lại giấy tờ từ chủ quán sau khi trợ giúp pháp lý can thiệp.",
}

// stay shelters the person of a case for a few nights in the first bed
// free that day; a stay of an open case may go on.
func (h *hotlineLoader) stay(s caseSpec, c *caunoi.HotlineCase, day time.Time) error {
	var bed *demoBed
	for _, b := range h.beds[s.shelter] {
		if !b.free.After(day) {
			bed = b
			break
		}
	}
	if bed == nil {
		return nil // the shelter is full that day: the person went elsewhere
	}
	st := &caunoi.ShelterStay{OrgID: c.OrgID, ProviderID: bed.bed.ProviderID, BedID: bed.bed.ID, CaseID: c.ID, ClientID: c.ClientID,
		AdmittedOn: caunoi.Date(day), Reason: "violence"}
	if slices.Contains(c.Issues, caunoi.IssueExploitation) || !slices.Contains(c.Issues, caunoi.IssueGBV) {
		st.Reason = "risk_of_violence"
	}
	if err := h.shelters.Admit(h.ctx, st); err != nil {
		return fmt.Errorf("demo: shelter stay: %w", err)
	}
	out := day.AddDate(0, 0, s.nights)
	if s.open && !out.Before(h.day(0, 0)) {
		bed.free = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC) // still there
		return nil
	}
	if today := h.day(0, 0); out.After(today) {
		out = today
	}
	d := caunoi.StayDischarge{Version: st.Version, DischargedOn: caunoi.Date(out), Reason: []string{"returned_home", "with_family", "referred"}[h.rng.IntN(3)]}
	if _, err := h.shelters.Discharge(h.ctx, st.ID, d); err != nil {
		return fmt.Errorf("demo: discharge: %w", err)
	}
	bed.free = out
	return nil
}
