package demo

import (
	"fmt"
	"time"

	"caunoi"
	"caunoi/internal/sqldb"
)

// Services and referrals of the demo, drawn from the seeds:
//
//   - seed 000, SCDI's eight community groups in 2022: 226 kept on
//     methadone, 1,036 referred for STI examination, 342 screened or
//     treated for hepatitis B/C, 299 health-insurance cards, 155 nutrition
//     packages. The demo has one of the eight groups (Vòng tay bè bạn), so
//     it gets an eighth of each: 28, 130, 43, 37 and 19; and the group's
//     own 10 people supported on ARV and 40 counselling sessions.
//   - seed 003, An Giang's club network, exactly: 122 referred for HIV
//     tests and ARV, 126 to vocational training, 102 job introductions of
//     whom 59 found stable work (36 construction helpers, 14 porters, 2
//     garment, 2 seafood processing, 5 delivery); gifts worth 36 million
//     đồng to 120 people; 12.8 million đồng of rice and money; 6 charity
//     houses built and 8 repaired.
//   - seed 001, Sóng Biển in Nha Trang: 12 enrolled in a baking course,
//     32 given legal aid for identity papers (20 of whom obtained them),
//     60 referred to health services.
//   - seed 002, Quảng Ninh: 80 referred for free HIV and STI tests, and 18
//     referred for HIV tests by the workers' rights model in Hạ Long.
//   - Hải Phòng's two self-help groups: 50 referred for STI examination.
//
// Every referral gets an outcome the way the field sees them: most reached
// with the service received, some declined or lost, a few still waiting,
// some of those overdue.

// providerSpec is a provider of the demo directory, kept by the
// organisation with key org.
type providerSpec struct {
	key, org, kind, name, address, unit string
	services                            []string
	lat, lng                            float64
	contact, hours                      string
	friendly                            bool
}

// demoProviders is a directory for each demo province, SCDI's own for its
// group in Hải Phòng (an NGO's groups stand outside the province's tree,
// so the NGO keeps the providers it works with), and the bakery that
// Sóng Biển found for its members (seed 001: the group mapped services).
var demoProviders = []providerSpec{
	{"hp_cdc", "haiphong", caunoi.ProviderARVClinic, "Phòng khám ngoại trú – Trung tâm Kiểm soát bệnh tật Hải Phòng", "Lê Đại Hành, Hồng Bàng, Hải Phòng", "31",
		[]string{caunoi.ServiceHIVTest, caunoi.ServiceART, caunoi.ServiceCounselling}, 20.8600, 106.6820, "0225 3 700 115", "7:30–16:30, thứ 2 – thứ 6", true},
	{"hp_derm", "haiphong", caunoi.ProviderSTIClinic, "Bệnh viện Da liễu Hải Phòng", "Lạch Tray, Ngô Quyền, Hải Phòng", "31",
		[]string{caunoi.ServiceSTIExam, caunoi.ServiceHIVTest}, 20.8462, 106.6939, "0225 3 846 120", "7:00–17:00, thứ 2 – thứ 7", true},
	{"hp_doson", "haiphong", caunoi.ProviderHealthFacility, "Trung tâm Y tế quận Đồ Sơn", "Đồ Sơn, Hải Phòng", "31",
		[]string{caunoi.ServiceSTIExam, caunoi.ServiceHIVTest, caunoi.ServiceHealthInsurance}, 20.7214, 106.7751, "0225 3 861 236", "7:00–17:00", false},
	{"hp_catba", "haiphong", caunoi.ProviderHealthFacility, "Trung tâm Y tế huyện Cát Hải", "Thị trấn Cát Bà, Hải Phòng", "31",
		[]string{caunoi.ServiceSTIExam, caunoi.ServiceHIVTest}, 20.7270, 107.0480, "0225 3 888 231", "7:00–17:00", false},
	{"hp_legal", "haiphong", caunoi.ProviderLegalAidCentre, "Trung tâm Trợ giúp pháp lý nhà nước thành phố Hải Phòng", "Hồng Bàng, Hải Phòng", "31",
		[]string{caunoi.ServiceLegalAid, caunoi.ServiceIdentityPapers}, 20.8590, 106.6770, "0225 3 551 466", "Giờ hành chính", true},
	{"hp_ctxh", "haiphong", caunoi.ProviderSocialWorkCentre, "Trung tâm Công tác xã hội Hải Phòng", "Kiến An, Hải Phòng", "31",
		[]string{caunoi.ServiceCounselling, caunoi.ServiceMaterialSupport, caunoi.ServiceHealthInsurance}, 20.8110, 106.6340, "1800 599 978", "Giờ hành chính; đường dây nóng 24/7", true},
	{"hp_shelter", "haiphong", caunoi.ProviderShelter, "Nhà tạm lánh – Trung tâm Công tác xã hội Hải Phòng", "Kiến An, Hải Phòng", "31",
		[]string{caunoi.ServiceCounselling, caunoi.ServiceMaterialSupport}, 20.8105, 106.6345, "1800 599 978", "24/7", true},
	{"hp_police", "haiphong", caunoi.ProviderPolice, "Công an phường Vạn Hương, Đồ Sơn", "Đồ Sơn, Hải Phòng", "31",
		[]string{caunoi.ServiceIdentityPapers}, 20.7190, 106.7890, "0225 3 861 113", "Giờ hành chính", false},

	{"scdi_clinic", "scdi", caunoi.ProviderHealthFacility, "Phòng khám thân thiện Lê Chân (mạng lưới SCDI)", "Lê Chân, Hải Phòng", "31",
		[]string{caunoi.ServiceHIVTest, caunoi.ServiceSTIExam, caunoi.ServiceHepatitis, caunoi.ServiceCounselling}, 20.8510, 106.6720, "0225 3 700 456", "8:00–20:00, cả tuần", true},
	{"scdi_mmt", "scdi", caunoi.ProviderMethadoneClinic, "Cơ sở điều trị Methadone Lê Chân", "Lê Chân, Hải Phòng", "31",
		[]string{caunoi.ServiceMethadone}, 20.8480, 106.6690, "0225 3 730 118", "6:00–11:00 và 14:00–17:00, cả tuần", true},
	{"scdi_arv", "scdi", caunoi.ProviderARVClinic, "Phòng khám ngoại trú HIV Lê Chân", "Lê Chân, Hải Phòng", "31",
		[]string{caunoi.ServiceART, caunoi.ServiceHIVTest}, 20.8470, 106.6700, "0225 3 730 119", "7:30–16:30, thứ 2 – thứ 6", true},
	{"scdi_hep", "scdi", caunoi.ProviderHepatitisClinic, "Khoa Truyền nhiễm – Bệnh viện Việt Tiệp", "Lê Chân, Hải Phòng", "31",
		[]string{caunoi.ServiceHepatitis}, 20.8560, 106.6810, "0225 3 700 436", "7:00–16:30", false},
	{"scdi_bhxh", "scdi", caunoi.ProviderOther, "Bảo hiểm xã hội quận Lê Chân", "Lê Chân, Hải Phòng", "31",
		[]string{caunoi.ServiceHealthInsurance}, 20.8530, 106.6750, "0225 3 857 320", "Giờ hành chính", false},

	{"kh_cdc", "khanhhoa", caunoi.ProviderHIVTestingSite, "Trung tâm Kiểm soát bệnh tật tỉnh Khánh Hòa", "Yersin, Nha Trang, Khánh Hòa", "56",
		[]string{caunoi.ServiceHIVTest, caunoi.ServiceART, caunoi.ServiceSTIExam, caunoi.ServiceCounselling}, 12.2470, 109.1890, "0258 3 822 580", "7:00–17:00, thứ 2 – thứ 6", true},
	{"kh_derm", "khanhhoa", caunoi.ProviderSTIClinic, "Bệnh viện Da liễu tỉnh Khánh Hòa", "Nha Trang, Khánh Hòa", "56",
		[]string{caunoi.ServiceSTIExam}, 12.2560, 109.1830, "0258 3 826 310", "7:00–17:00", true},
	{"kh_legal", "khanhhoa", caunoi.ProviderLegalAidCentre, "Trung tâm Trợ giúp pháp lý nhà nước tỉnh Khánh Hòa", "Nha Trang, Khánh Hòa", "56",
		[]string{caunoi.ServiceLegalAid, caunoi.ServiceIdentityPapers}, 12.2440, 109.1940, "0258 3 815 455", "Giờ hành chính", true},
	{"kh_police", "khanhhoa", caunoi.ProviderPolice, "Công an phường Lộc Thọ, Nha Trang", "Nha Trang, Khánh Hòa", "56",
		[]string{caunoi.ServiceIdentityPapers}, 12.2380, 109.1960, "0258 3 827 113", "Giờ hành chính", false},
	{"kh_bakery", "songbien", caunoi.ProviderVocationalSchool, "Lớp dạy nghề làm bánh Hương Biển", "Phước Hải, Nha Trang, Khánh Hòa", "56",
		[]string{caunoi.ServiceVocationalTraining, caunoi.ServiceJobPlacement}, 12.2300, 109.1880, "0905 123 456", "Lớp tối 18:00–20:30", true},
	{"kh_shelter", "khanhhoa", caunoi.ProviderShelter, "Nhà tạm lánh – Trung tâm Công tác xã hội tỉnh Khánh Hòa", "Nha Trang, Khánh Hòa", "56",
		[]string{caunoi.ServiceCounselling, caunoi.ServiceMaterialSupport}, 12.2650, 109.1770, "1800 1567", "24/7", true},

	{"qn_cdc", "quangninh", caunoi.ProviderHIVTestingSite, "Trung tâm Kiểm soát bệnh tật tỉnh Quảng Ninh", "Hạ Long, Quảng Ninh", "22",
		[]string{caunoi.ServiceHIVTest, caunoi.ServiceSTIExam, caunoi.ServiceART}, 20.9530, 107.0780, "0203 3 825 475", "7:30–17:00, thứ 2 – thứ 6", true},
	{"qn_arv", "quangninh", caunoi.ProviderARVClinic, "Phòng khám ngoại trú ARV Hạ Long", "Hạ Long, Quảng Ninh", "22",
		[]string{caunoi.ServiceART, caunoi.ServiceHIVTest}, 20.9560, 107.0720, "0203 3 835 116", "7:30–16:30", true},
	{"qn_uongbi", "quangninh", caunoi.ProviderHealthFacility, "Trung tâm Y tế thành phố Uông Bí", "Uông Bí, Quảng Ninh", "22",
		[]string{caunoi.ServiceSTIExam, caunoi.ServiceHIVTest, caunoi.ServiceHealthInsurance}, 21.0360, 106.7700, "0203 3 854 115", "7:00–17:00", false},
	{"qn_campha", "quangninh", caunoi.ProviderHealthFacility, "Trung tâm Y tế thành phố Cẩm Phả", "Cẩm Phả, Quảng Ninh", "22",
		[]string{caunoi.ServiceSTIExam, caunoi.ServiceHIVTest}, 21.0100, 107.2900, "0203 3 862 115", "7:00–17:00", false},
	{"qn_legal", "quangninh", caunoi.ProviderLegalAidCentre, "Trung tâm Trợ giúp pháp lý nhà nước tỉnh Quảng Ninh", "Hạ Long, Quảng Ninh", "22",
		[]string{caunoi.ServiceLegalAid, caunoi.ServiceIdentityPapers}, 20.9510, 107.0810, "0203 3 628 818", "Giờ hành chính", true},
	{"qn_jobs", "quangninh", caunoi.ProviderOther, "Trung tâm Dịch vụ việc làm tỉnh Quảng Ninh", "Hạ Long, Quảng Ninh", "22",
		[]string{caunoi.ServiceJobPlacement, caunoi.ServiceVocationalTraining}, 20.9490, 107.0850, "0203 3 836 136", "Giờ hành chính", false},

	{"ag_cdc", "angiang", caunoi.ProviderHIVTestingSite, "Trung tâm Kiểm soát bệnh tật tỉnh An Giang", "Long Xuyên, An Giang", "91",
		[]string{caunoi.ServiceHIVTest, caunoi.ServiceART, caunoi.ServiceHepatitis, caunoi.ServiceCounselling}, 10.3860, 105.4350, "0296 3 852 300", "7:00–17:00, thứ 2 – thứ 6", true},
	{"ag_arv", "angiang", caunoi.ProviderARVClinic, "Phòng khám ngoại trú ARV Long Xuyên", "Long Xuyên, An Giang", "91",
		[]string{caunoi.ServiceART, caunoi.ServiceHIVTest}, 10.3790, 105.4410, "0296 3 841 115", "7:00–16:30", true},
	{"ag_mmt", "angiang", caunoi.ProviderMethadoneClinic, "Cơ sở điều trị Methadone Long Xuyên", "Long Xuyên, An Giang", "91",
		[]string{caunoi.ServiceMethadone}, 10.3750, 105.4380, "0296 3 956 118", "6:00–11:00, cả tuần", true},
	{"ag_school", "angiang", caunoi.ProviderVocationalSchool, "Trung tâm Giáo dục nghề nghiệp Long Xuyên", "Long Xuyên, An Giang", "91",
		[]string{caunoi.ServiceVocationalTraining}, 10.3720, 105.4290, "0296 3 857 224", "Giờ hành chính", true},
	{"ag_build", "angiang", caunoi.ProviderEmployer, "Công ty TNHH Xây dựng Mỹ Thới", "Mỹ Thới, Long Xuyên, An Giang", "91",
		[]string{caunoi.ServiceJobPlacement}, 10.3480, 105.4660, "0296 3 831 552", "Giờ hành chính", true},
	{"ag_port", "angiang", caunoi.ProviderEmployer, "Tổ bốc xếp cảng Mỹ Thới", "Mỹ Thới, Long Xuyên, An Giang", "91",
		[]string{caunoi.ServiceJobPlacement}, 10.3450, 105.4700, "0918 204 118", "Theo ca", true},
	{"ag_garment", "angiang", caunoi.ProviderEmployer, "Công ty May xuất khẩu Long Xuyên", "Bình Đức, Long Xuyên, An Giang", "91",
		[]string{caunoi.ServiceJobPlacement}, 10.4050, 105.4120, "0296 3 852 871", "Giờ hành chính", false},
	{"ag_seafood", "angiang", caunoi.ProviderEmployer, "Công ty Chế biến thủy sản Bình Đức", "Bình Đức, Long Xuyên, An Giang", "91",
		[]string{caunoi.ServiceJobPlacement}, 10.4100, 105.4050, "0296 3 853 990", "Theo ca", false},
	{"ag_delivery", "angiang", caunoi.ProviderEmployer, "Hợp tác xã Vận tải – Giao hàng Long Xuyên", "Mỹ Long, Long Xuyên, An Giang", "91",
		[]string{caunoi.ServiceJobPlacement}, 10.3830, 105.4400, "0939 117 226", "Giờ hành chính", true},
	{"ag_rehab", "angiang", caunoi.ProviderRehabCentre, "Cơ sở cai nghiện ma túy tỉnh An Giang", "An Giang", "91",
		[]string{caunoi.ServiceCounselling, caunoi.ServiceVocationalTraining}, 10.4410, 105.3900, "0296 3 833 456", "Giờ thăm: thứ 7, chủ nhật", false},

	{"hn_ctxh", "hanoi", caunoi.ProviderSocialWorkCentre, "Trung tâm Công tác xã hội Hà Nội", "Hà Nội", "01",
		[]string{caunoi.ServiceCounselling, caunoi.ServiceMaterialSupport}, 21.0278, 105.8342, "1800 599 978", "Giờ hành chính", true},
	{"hn_legal", "hanoi", caunoi.ProviderLegalAidCentre, "Trung tâm Trợ giúp pháp lý nhà nước thành phố Hà Nội", "Hà Nội", "01",
		[]string{caunoi.ServiceLegalAid, caunoi.ServiceIdentityPapers}, 21.0200, 105.8400, "024 3 776 0888", "Giờ hành chính", true},
}

// svcLoader holds the state of the services part of one Load.
type svcLoader struct {
	*loader
	providers *sqldb.ProviderService
	services  *sqldb.ServiceService
	referrals *sqldb.ReferralService
	prov      map[string]*caunoi.Provider
	workers   map[string][]string            // group key → worker ids
	members   map[string][]*caunoi.Client    // group key → clients still met, by creation
	all       map[string][]*caunoi.Client    // group key → every client
	used      map[string]map[string]struct{} // group key + what → clients already given it once
}

// makeServices loads the directory, then each group's services and
// referrals.
func (l *loader) makeServices(db *sqldb.DB) error {
	s := &svcLoader{loader: l, providers: sqldb.NewProviderService(db), services: sqldb.NewServiceService(db), referrals: sqldb.NewReferralService(db),
		prov: map[string]*caunoi.Provider{}, workers: map[string][]string{}, members: map[string][]*caunoi.Client{},
		all: map[string][]*caunoi.Client{}, used: map[string]map[string]struct{}{}}
	for _, p := range demoProviders {
		lat, lng := p.lat, p.lng
		pr := &caunoi.Provider{OrgID: l.orgs[p.org].ID, Kind: p.kind, Name: p.name, Services: p.services, Address: p.address, AdminUnitCode: p.unit,
			Lat: &lat, Lng: &lng, Contact: p.contact, OpeningHours: p.hours, Friendly: p.friendly}
		if err := s.providers.CreateProvider(l.ctx, pr); err != nil {
			return fmt.Errorf("demo: provider %q: %w", p.name, err)
		}
		s.prov[p.key] = pr
	}
	for _, g := range groups {
		for _, u := range g.workers {
			s.workers[g.org] = append(s.workers[g.org], l.users[u].ID)
		}
		for off := 0; ; off += caunoi.MaxPageSize {
			cs, total, err := l.clients.FindClients(l.ctx, caunoi.ClientFilter{OrgID: l.orgs[g.org].ID, Page: caunoi.Page{Offset: off, Limit: caunoi.MaxPageSize}})
			if err != nil {
				return fmt.Errorf("demo: clients of %q: %w", g.org, err)
			}
			for _, c := range cs {
				s.all[g.org] = append(s.all[g.org], c)
				if c.Status == "active" || c.Status == "relapsed" {
					s.members[g.org] = append(s.members[g.org], c)
				}
			}
			if len(cs) == 0 || off+len(cs) >= total {
				break
			}
		}
	}
	for _, step := range []func() error{s.scdi, s.anGiang, s.songBien, s.quangNinh, s.haiPhong} {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// client returns a client of the group met in the field; once, if what
// is not empty, returns one who did not get what yet (people, not
// contacts), as long as there are such clients.
func (s *svcLoader) client(group, what string) *caunoi.Client {
	pool := s.members[group]
	if len(pool) == 0 {
		pool = s.all[group]
	}
	if what == "" {
		return pool[s.rng.IntN(len(pool))]
	}
	key := group + " " + what
	if s.used[key] == nil {
		s.used[key] = map[string]struct{}{}
	}
	for _, i := range s.rng.Perm(len(pool)) {
		if _, ok := s.used[key][pool[i].ID]; !ok {
			s.used[key][pool[i].ID] = struct{}{}
			return pool[i]
		}
	}
	return pool[s.rng.IntN(len(pool))]
}

// worker returns a worker of the group.
func (s *svcLoader) worker(group string) string {
	ws := s.workers[group]
	if len(ws) > 1 && s.pct(40) {
		return ws[1+s.rng.IntN(len(ws)-1)]
	}
	return ws[0]
}

// give records a service of the group for a client, on a day between lo
// and hi days ago.
func (s *svcLoader) give(group string, c *caunoi.Client, sv caunoi.Service, lo, hi int) error {
	sv.OrgID, sv.ClientID, sv.WorkerID = s.orgs[group].ID, c.ID, s.worker(group)
	sv.GivenOn = caunoi.Date(s.dayAfterBirth(c, lo, hi))
	if err := s.services.CreateService(s.ctx, &sv); err != nil {
		return fmt.Errorf("demo: %s service of %q: %w", sv.Kind, group, err)
	}
	return nil
}

// dayAfterBirth is a day between lo and hi days ago, not before the
// client's birth year.
func (s *svcLoader) dayAfterBirth(c *caunoi.Client, lo, hi int) time.Time {
	d := s.day(lo, hi)
	if c.BirthYear > 0 && d.Year() < c.BirthYear {
		d = time.Date(c.BirthYear, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return d
}

// outcome says how a referral ends: the service received when reached
// (its detail, result, trade), or declined, lost, still waiting.
type outcome struct {
	status  string // referred, reached, declined, lost
	overdue bool   // for referred: past its due day
	service caunoi.Service
}

// refer refers a client of the group to a provider for a service and
// records the outcome.
func (s *svcLoader) refer(group, providerKey, kind string, c *caunoi.Client, reason string, o outcome) error {
	worker := s.worker(group)
	var on time.Time
	switch {
	case o.status != caunoi.ReferralReferred:
		on = s.day(16, 350)
	case o.overdue:
		on = s.day(16, 60)
	default:
		on = s.day(0, 10)
	}
	r := &caunoi.Referral{OrgID: s.orgs[group].ID, ClientID: c.ID, ProviderID: s.prov[providerKey].ID, ServiceKind: kind,
		ReferredOn: caunoi.Date(on), ReferredBy: worker, Reason: reason}
	if err := s.referrals.CreateReferral(s.ctx, r); err != nil {
		return fmt.Errorf("demo: referral of %q to %s: %w", group, providerKey, err)
	}
	if o.status == caunoi.ReferralReferred {
		return nil
	}
	closed := on.AddDate(0, 0, s.between(1, 14))
	if today := s.day(0, 0); closed.After(today) {
		closed = today
	}
	t := caunoi.ReferralTransition{Version: r.Version, Status: o.status, ClosedOn: caunoi.Date(closed)}
	switch o.status {
	case caunoi.ReferralReached:
		sv := o.service
		sv.WorkerID = worker
		t.Service = &sv
	case caunoi.ReferralDeclined:
		t.Outcome = "Khách hàng chưa sẵn sàng, hẹn lần sau"
	case caunoi.ReferralLost:
		t.Outcome = "Không liên lạc được, đã chuyển chỗ ở"
	}
	if _, err := s.referrals.TransitionReferral(s.ctx, r.ID, t); err != nil {
		return fmt.Errorf("demo: outcome of a referral of %q: %w", group, err)
	}
	return nil
}

// fate picks how one of n referrals ends: i counts from 0. Of every 20,
// 16 are reached, 1 declined, 1 lost, 1 overdue and 1 waiting within its
// due day.
func fate(i int, reached caunoi.Service) outcome {
	switch i % 20 {
	case 5:
		return outcome{status: caunoi.ReferralDeclined}
	case 11:
		return outcome{status: caunoi.ReferralLost}
	case 16:
		return outcome{status: caunoi.ReferralReferred, overdue: true}
	case 19:
		return outcome{status: caunoi.ReferralReferred}
	}
	return outcome{status: caunoi.ReferralReached, service: reached}
}

// hivResult is the result of the i-th HIV test: mostly negative, about
// one in forty reactive.
func hivResult(i int) string {
	if i%40 == 17 {
		return caunoi.HIVReactive
	}
	return caunoi.HIVNegative
}

// spread gives each of the groups its share of n, by their numbers of
// clients; the shares add up to n.
func (s *svcLoader) spread(n int, groups ...string) []int {
	total := 0
	for _, g := range groups {
		total += len(s.all[g])
	}
	out := make([]int, len(groups))
	given := 0
	for i, g := range groups {
		out[i] = n * len(s.all[g]) / total
		given += out[i]
	}
	for i := 0; given < n; i = (i + 1) % len(groups) {
		out[i]++
		given++
	}
	return out
}

// scdi is seed 000's SCDI group, an eighth of the eight groups' numbers.
func (s *svcLoader) scdi() error {
	const g = "vongtay"
	for range 28 { // 226 kept on methadone
		c := s.client(g, "methadone")
		if err := s.give(g, c, caunoi.Service{Kind: caunoi.ServiceMethadone, Detail: "continuation", ProviderID: s.prov["scdi_mmt"].ID}, 0, 60); err != nil {
			return err
		}
	}
	for i := range 130 { // 1,036 referred for STI examination
		o := fate(i, caunoi.Service{Detail: "examination"})
		if err := s.refer(g, "scdi_clinic", caunoi.ServiceSTIExam, s.client(g, ""), "Khám STI định kỳ", o); err != nil {
			return err
		}
	}
	for i := range 43 { // 342 hepatitis B/C
		detail := []string{"hbv_screening", "hcv_screening", "hcv_screening", "hcv_treatment"}[i%4]
		sv := caunoi.Service{Kind: caunoi.ServiceHepatitis, Detail: detail, ProviderID: s.prov["scdi_hep"].ID}
		if detail != "hcv_treatment" {
			sv.Result = "negative"
			if i%5 == 2 {
				sv.Result = "positive"
			}
		}
		if err := s.give(g, s.client(g, "hepatitis "+detail), sv, 0, 360); err != nil {
			return err
		}
	}
	for i := range 37 { // 299 health-insurance cards
		detail := "new"
		if i%3 == 0 {
			detail = "renewed"
		}
		if err := s.give(g, s.client(g, "health_insurance"), caunoi.Service{Kind: caunoi.ServiceHealthInsurance, Detail: detail,
			ProviderID: s.prov["scdi_bhxh"].ID}, 0, 360); err != nil {
			return err
		}
	}
	for range 19 { // 155 nutrition packages
		if err := s.give(g, s.client(g, "nutrition"), caunoi.Service{Kind: caunoi.ServiceMaterialSupport, Detail: "nutrition_package", Quantity: 1}, 0, 360); err != nil {
			return err
		}
	}
	for range 10 { // the group's 10 people supported on ARV
		if err := s.give(g, s.client(g, "art"), caunoi.Service{Kind: caunoi.ServiceART, Detail: "continuation", ProviderID: s.prov["scdi_arv"].ID}, 0, 90); err != nil {
			return err
		}
	}
	for range 40 { // counselling, by the group itself
		if err := s.give(g, s.client(g, ""), caunoi.Service{Kind: caunoi.ServiceCounselling, Notes: "Tư vấn hỗ trợ cắt cơn tại nhà"}, 0, 360); err != nil {
			return err
		}
	}
	return nil
}

// anGiangJobs are seed 003's 102 job introductions: 59 stable (36
// construction helpers, 14 porters, 2 garment, 2 seafood processing, 5
// delivery) and 43 that did not last or whose follow-up is still due.
var anGiangJobs = []struct {
	jobType, employer string
	stable, other     int
}{
	{"construction_helper", "ag_build", 36, 20},
	{"porter", "ag_port", 14, 10},
	{"garment", "ag_garment", 2, 5},
	{"seafood_processing", "ag_seafood", 2, 4},
	{"delivery", "ag_delivery", 5, 4},
}

// anGiang is seed 003's club network, with its numbers exactly.
func (s *svcLoader) anGiang() error {
	clubs := []string{"mybinh", "mylong", "myxuyen", "binhduc"}
	// 122 referred for HIV tests and ARV: 100 tests, 22 to ARV.
	i := 0
	for k, n := range s.spread(122, clubs...) {
		for range n {
			kind, provider, reached := caunoi.ServiceHIVTest, "ag_cdc", caunoi.Service{Detail: "facility", Result: hivResult(i)}
			if i%11 == 3 {
				kind, provider, reached = caunoi.ServiceART, "ag_arv", caunoi.Service{Detail: "start"}
			}
			if err := s.refer(clubs[k], provider, kind, s.client(clubs[k], ""), "Xét nghiệm HIV sau khi hồi gia", fate(i, reached)); err != nil {
				return err
			}
			i++
		}
	}
	// 126 to vocational training.
	trades := []string{"motorbike_repair", "electrical", "cooking", "sewing", "computing"}
	i = 0
	for k, n := range s.spread(126, clubs...) {
		for range n {
			o := fate(i, caunoi.Service{Detail: "enrolled", Trade: trades[i%len(trades)]})
			if err := s.refer(clubs[k], "ag_school", caunoi.ServiceVocationalTraining, s.client(clubs[k], ""), "Học nghề để có việc làm", o); err != nil {
				return err
			}
			i++
		}
	}
	// 102 job introductions, 59 stable.
	var jobs []caunoi.Service
	for _, j := range anGiangJobs {
		for range j.stable {
			jobs = append(jobs, caunoi.Service{Kind: caunoi.ServiceJobPlacement, Trade: j.jobType, Result: caunoi.JobStable, ProviderID: s.prov[j.employer].ID})
		}
		for n := range j.other {
			result := caunoi.JobNotStable
			if n == 0 {
				result = "" // the follow-up is still due
			}
			jobs = append(jobs, caunoi.Service{Kind: caunoi.ServiceJobPlacement, Trade: j.jobType, Result: result, ProviderID: s.prov[j.employer].ID})
		}
	}
	s.rng.Shuffle(len(jobs), func(a, b int) { jobs[a], jobs[b] = jobs[b], jobs[a] })
	i = 0
	for k, n := range s.spread(len(jobs), clubs...) {
		for range n {
			if err := s.give(clubs[k], s.client(clubs[k], ""), jobs[i], 30, 360); err != nil {
				return err
			}
			i++
		}
	}
	// Gifts worth 36 million đồng to 120 people; 12.8 million đồng of rice
	// and money; 6 charity houses built and 8 repaired.
	var support []caunoi.Service
	for range 120 {
		support = append(support, caunoi.Service{Kind: caunoi.ServiceMaterialSupport, Detail: "gift", Quantity: 1, AmountVND: 300_000})
	}
	for range 8 {
		support = append(support, caunoi.Service{Kind: caunoi.ServiceMaterialSupport, Detail: "rice", Quantity: 20, AmountVND: 600_000},
			caunoi.Service{Kind: caunoi.ServiceMaterialSupport, Detail: "cash", Quantity: 1, AmountVND: 1_000_000})
	}
	for range 6 {
		support = append(support, caunoi.Service{Kind: caunoi.ServiceHousing, Detail: "built", AmountVND: 40_000_000})
	}
	for range 8 {
		support = append(support, caunoi.Service{Kind: caunoi.ServiceHousing, Detail: "repaired", AmountVND: 12_000_000})
	}
	i = 0
	for k, n := range s.spread(len(support), clubs...) {
		for range n {
			if err := s.give(clubs[k], s.client(clubs[k], ""), support[i], 0, 360); err != nil {
				return err
			}
			i++
		}
	}
	return nil
}

// songBien is seed 001's peer group in Nha Trang.
func (s *svcLoader) songBien() error {
	const g = "songbien"
	for range 12 { // 12 enrolled in a baking course
		if err := s.give(g, s.client(g, "baking"), caunoi.Service{Kind: caunoi.ServiceVocationalTraining, Detail: "enrolled", Trade: "baking",
			ProviderID: s.prov["kh_bakery"].ID}, 60, 200); err != nil {
			return err
		}
	}
	var papers []*caunoi.Client
	for range 32 { // 30+ legal aid for identity papers
		c := s.client(g, "legal_aid")
		papers = append(papers, c)
		if err := s.give(g, c, caunoi.Service{Kind: caunoi.ServiceLegalAid, Detail: "documents", ProviderID: s.prov["kh_legal"].ID,
			Notes: "Hỗ trợ làm lại căn cước"}, 30, 330); err != nil {
			return err
		}
	}
	for i, c := range papers[:20] {
		detail := "id_card"
		if i%5 == 0 {
			detail = "birth_certificate"
		}
		if err := s.give(g, c, caunoi.Service{Kind: caunoi.ServiceIdentityPapers, Detail: detail, ProviderID: s.prov["kh_police"].ID}, 0, 29); err != nil {
			return err
		}
	}
	for i := range 60 { // 100+ used health services
		kind, provider, reached := caunoi.ServiceSTIExam, "kh_derm", caunoi.Service{Detail: "examination"}
		if i%2 == 0 {
			kind, provider, reached = caunoi.ServiceHIVTest, "kh_cdc", caunoi.Service{Detail: "facility", Result: hivResult(i)}
		}
		if err := s.refer(g, provider, kind, s.client(g, ""), "Khám sức khỏe định kỳ", fate(i, reached)); err != nil {
			return err
		}
	}
	return nil
}

// quangNinh is seed 002: free HIV and STI tests, and Hạ Long's workers'
// rights model.
func (s *svcLoader) quangNinh() error {
	groups := []string{"halong", "uongbi", "campha"}
	providers := map[string]string{"halong": "qn_cdc", "uongbi": "qn_uongbi", "campha": "qn_campha"}
	i := 0
	for k, n := range s.spread(80, groups...) {
		for range n {
			kind, reached := caunoi.ServiceSTIExam, caunoi.Service{Detail: "examination"}
			if i%2 == 1 {
				kind, reached = caunoi.ServiceHIVTest, caunoi.Service{Detail: "facility", Result: hivResult(i)}
			}
			if err := s.refer(groups[k], providers[groups[k]], kind, s.client(groups[k], ""), "Xét nghiệm miễn phí", fate(i, reached)); err != nil {
				return err
			}
			i++
		}
	}
	for i := range 18 {
		o := fate(i+3, caunoi.Service{Detail: "community", Result: hivResult(i)})
		if err := s.refer("halong", "qn_cdc", caunoi.ServiceHIVTest, s.client("halong", ""), "Tư vấn quyền lao động qua Zalo, giới thiệu xét nghiệm", o); err != nil {
			return err
		}
	}
	return nil
}

// haiPhong is the province's two self-help groups of sex workers.
func (s *svcLoader) haiPhong() error {
	for _, gp := range []struct {
		group, provider string
		n               int
	}{{"hoaphuong", "hp_doson", 30}, {"catba", "hp_catba", 20}} {
		for i := range gp.n {
			if err := s.refer(gp.group, gp.provider, caunoi.ServiceSTIExam, s.client(gp.group, ""), "Khám phụ khoa, STI định kỳ",
				fate(i, caunoi.Service{Detail: "examination"})); err != nil {
				return err
			}
		}
	}
	return nil
}
