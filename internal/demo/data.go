package demo

import "caunoi"

// The demo data, drawn from the field reports in shared/seeds (000–004).
// Everything is in fixed order (slices, never maps) so that the same seed
// gives the same shape every time.

// w is a value with a weight, for weighted choices.
type w[T any] struct {
	v T
	n int
}

// orgSpec is an organisation to create. Parent names the key of an
// organisation made before it.
type orgSpec struct {
	key       string
	parent    string
	kind      caunoi.OrgKind
	groupKind caunoi.GroupKind
	name      string
	unit      string
	models    []caunoi.Model
	founded   int // year; only the year is known from the seeds, so 1 January is stored
}

// orgs is the organisation tree, parents first.
var orgs = []orgSpec{
	{key: "cuc", kind: caunoi.OrgNational, name: "Cục Phòng, chống tệ nạn xã hội"},

	{key: "haiphong", parent: "cuc", kind: caunoi.OrgProvince, name: "Chi cục PCTNXH Hải Phòng", unit: "31"},
	{key: "khanhhoa", parent: "cuc", kind: caunoi.OrgProvince, name: "Chi cục PCTNXH Khánh Hòa", unit: "56"},
	{key: "quangninh", parent: "cuc", kind: caunoi.OrgProvince, name: "Chi cục PCTNXH Quảng Ninh", unit: "22"},
	{key: "angiang", parent: "cuc", kind: caunoi.OrgProvince, name: "Chi cục PCTNXH An Giang", unit: "91"},
	{key: "hanoi", parent: "cuc", kind: caunoi.OrgProvince, name: "Chi cục PCTNXH Hà Nội", unit: "01"},

	{key: "scdi", parent: "cuc", kind: caunoi.OrgNGO, name: "SCDI – Trung tâm Hỗ trợ Sáng kiến Phát triển Cộng đồng"},

	// Hải Phòng (seed 000): two self-help groups of sex workers in the
	// hotspots Đồ Sơn and Cát Bà, pilot models since 2019; "Vòng tay bè
	// bạn", people who used drugs, since 2007, sponsored by SCDI since 2010.
	{key: "hoaphuong", parent: "haiphong", kind: caunoi.OrgGroup, groupKind: caunoi.GroupSelfHelp, name: "Nhóm tự lực Hoa Phượng",
		unit: "31", models: []caunoi.Model{caunoi.ModelPeerCapacity, caunoi.ModelCommunityServices}, founded: 2019},
	{key: "catba", parent: "haiphong", kind: caunoi.OrgGroup, groupKind: caunoi.GroupSelfHelp, name: "Nhóm tự lực Cát Bà",
		unit: "31", models: []caunoi.Model{caunoi.ModelPeerCapacity, caunoi.ModelCommunityServices}, founded: 2019},
	{key: "vongtay", parent: "scdi", kind: caunoi.OrgGroup, groupKind: caunoi.GroupSelfHelp, name: "Nhóm tự lực Vòng tay bè bạn",
		unit: "31", models: []caunoi.Model{caunoi.ModelPeerCapacity, caunoi.ModelCommunityServices}, founded: 2007},

	// Khánh Hòa (seed 001): the peer group "Sóng Biển" in Nha Trang, since 2019.
	{key: "songbien", parent: "khanhhoa", kind: caunoi.OrgGroup, groupKind: caunoi.GroupPeer, name: "Nhóm đồng đẳng Sóng Biển",
		unit: "56", models: []caunoi.Model{caunoi.ModelPeerCapacity, caunoi.ModelCommunityServices}, founded: 2019},

	// Quảng Ninh (seed 002): peer groups in Hạ Long, Uông Bí and Cẩm Phả;
	// the workers' rights model in Hạ Long; community power in the wards.
	{key: "halong", parent: "quangninh", kind: caunoi.OrgGroup, groupKind: caunoi.GroupPeer, name: "Nhóm đồng đẳng Hạ Long",
		unit: "22", models: []caunoi.Model{caunoi.ModelPeerCapacity, caunoi.ModelWorkersRights}},
	{key: "uongbi", parent: "quangninh", kind: caunoi.OrgGroup, groupKind: caunoi.GroupSelfHelp, name: "Nhóm tự lực Uông Bí",
		unit: "22", models: []caunoi.Model{caunoi.ModelPeerCapacity}},
	{key: "campha", parent: "quangninh", kind: caunoi.OrgGroup, groupKind: caunoi.GroupClub, name: "CLB Đồng đẳng Cẩm Phả",
		unit: "22", models: []caunoi.Model{caunoi.ModelPeerCapacity}},
	{key: "honggai", parent: "quangninh", kind: caunoi.OrgGroup, groupKind: caunoi.GroupClub, name: "CLB Sức mạnh cộng đồng phường Hồng Gai",
		unit: "22", models: []caunoi.Model{caunoi.ModelCommunityPower}},

	// An Giang (seed 003): the network of reintegration clubs in the wards
	// of Long Xuyên, since 2008.
	{key: "mybinh", parent: "angiang", kind: caunoi.OrgGroup, groupKind: caunoi.GroupClub, name: "CLB Hướng Thiện phường Mỹ Bình",
		unit: "91", models: []caunoi.Model{caunoi.ModelReintegration}, founded: 2008},
	{key: "mylong", parent: "angiang", kind: caunoi.OrgGroup, groupKind: caunoi.GroupClub, name: "CLB Hướng Thiện phường Mỹ Long",
		unit: "91", models: []caunoi.Model{caunoi.ModelReintegration}, founded: 2008},
	{key: "myxuyen", parent: "angiang", kind: caunoi.OrgGroup, groupKind: caunoi.GroupClub, name: "CLB Hướng Thiện phường Mỹ Xuyên",
		unit: "91", models: []caunoi.Model{caunoi.ModelReintegration}, founded: 2008},
	{key: "binhduc", parent: "angiang", kind: caunoi.OrgGroup, groupKind: caunoi.GroupClub, name: "CLB Hướng Thiện phường Bình Đức",
		unit: "91", models: []caunoi.Model{caunoi.ModelReintegration}, founded: 2008},
}

// userSpec is a demo account with one role on one organisation.
type userSpec struct {
	username string
	name     string
	role     caunoi.Role
	org      string
}

// users are the demo accounts, from the top of the tree down.
var users = []userSpec{
	{"admin", "Quản trị hệ thống", caunoi.RoleAdmin, "cuc"},
	{"cuc.canbo", "Nguyễn Thị Thu Hà", caunoi.RoleNationalOfficer, "cuc"},
	{"haiphong.canbo", "Trần Văn Đức", caunoi.RoleProvinceOfficer, "haiphong"},
	{"khanhhoa.canbo", "Lê Thị Minh Châu", caunoi.RoleProvinceOfficer, "khanhhoa"},
	{"quangninh.canbo", "Phạm Quốc Hưng", caunoi.RoleProvinceOfficer, "quangninh"},
	{"angiang.canbo", "Nguyễn Văn Lợi", caunoi.RoleProvinceOfficer, "angiang"},

	{"hoaphuong.truongnhom", "Vũ Thị Hạnh", caunoi.RoleGroupLeader, "hoaphuong"},
	{"hoaphuong.dongdang", "Nguyễn Thị Hồng Nhung", caunoi.RolePeerEducator, "hoaphuong"},
	{"catba.dongdang", "Phạm Thị Thu", caunoi.RolePeerEducator, "catba"},
	{"vongtay.truongnhom", "Hoàng Văn Tuấn", caunoi.RoleGroupLeader, "vongtay"},
	{"vongtay.dongdang", "Bùi Văn Nam", caunoi.RolePeerEducator, "vongtay"},
	{"vongtay.congtacvien", "Đặng Thị Mai", caunoi.RoleOutreachWorker, "vongtay"},
	{"songbien.truongnhom", "Trương Thị Ngọc Lan", caunoi.RoleGroupLeader, "songbien"},
	{"songbien.dongdang", "Huỳnh Thị Kim", caunoi.RolePeerEducator, "songbien"},
	{"songbien.congtacvien", "Lê Thị Bích Vân", caunoi.RoleOutreachWorker, "songbien"},
	{"halong.truongnhom", "Ngô Thị Phương", caunoi.RoleGroupLeader, "halong"},
	{"halong.dongdang", "Đinh Thị Thanh Hoa", caunoi.RolePeerEducator, "halong"},
	{"uongbi.dongdang", "Lưu Thị Hằng", caunoi.RolePeerEducator, "uongbi"},
	{"campha.dongdang", "Vi Thị Yến", caunoi.RolePeerEducator, "campha"},
	{"honggai.congtacvien", "Phạm Văn Khải", caunoi.RoleOutreachWorker, "honggai"},
	{"mybinh.chunhiem", "Lâm Văn Phước", caunoi.RoleGroupLeader, "mybinh"},
	{"mybinh.congtacvien", "Trần Thị Diễm", caunoi.RoleOutreachWorker, "mybinh"},
	{"mylong.dongdang", "Nguyễn Văn Hậu", caunoi.RolePeerEducator, "mylong"},
	{"myxuyen.congtacvien", "Võ Văn Thành", caunoi.RoleOutreachWorker, "myxuyen"},
	{"binhduc.chunhiem", "Dương Văn Tâm", caunoi.RoleGroupLeader, "binhduc"},
}

// groupSpec says how many clients and contacts a group gets and what they
// look like. Workers are usernames of users holding a role on the group;
// field workers (peer educators, outreach workers) come first and record
// most contacts.
type groupSpec struct {
	org       string
	profile   *profile
	clients   int
	contacts  int
	workers   []string
	residence []w[string]
	channels  []w[string]
	anonShare int // percent of contacts with an anonymous person
	places    []string
	notes     []string
}

// profile is what the clients of one kind of group look like.
type profile struct {
	pops     []w[[]caunoi.Population]
	sexes    []w[string]
	born     [2]int // birth years, inclusive
	statuses []w[string]
	evening  bool // outreach at night (sex work) rather than by day
	kit      func(l *loader) map[string]int
	notes    []string
	topics   []string // what outreach talks about
}

var (
	residenceLocal = []w[string]{{"local", 88}, {"other_province", 9}, {"mobile", 3}}
	residenceHP    = []w[string]{{"local", 50}, {"other_province", 35}, {"mobile", 15}}
	residenceKH    = []w[string]{{"local", 40}, {"other_province", 40}, {"mobile", 20}}
	// Seed 002: the population moves often and mostly comes from other provinces.
	residenceQN = []w[string]{{"other_province", 65}, {"mobile", 22}, {"local", 13}}
)

// sexWork is the profile of groups of people who sell sex and work in
// at-risk establishments (seeds 000, 001, 002).
var sexWork = &profile{
	topics: []string{"srh", "hiv_sti", "gbv", "rights", "health_insurance"},
	pops: []w[[]caunoi.Population]{
		{[]caunoi.Population{caunoi.PopSexWork}, 45},
		{[]caunoi.Population{caunoi.PopSexWork, caunoi.PopVenueWorker}, 20},
		{[]caunoi.Population{caunoi.PopVenueWorker}, 15},
		{[]caunoi.Population{caunoi.PopAtRisk}, 12},
		{[]caunoi.Population{caunoi.PopSexWork, caunoi.PopPLHIV}, 4},
		{[]caunoi.Population{caunoi.PopSexWork, caunoi.PopDrugUse}, 4},
	},
	sexes:    []w[string]{{"female", 94}, {"other", 4}, {"male", 2}},
	born:     [2]int{1975, 2006},
	statuses: []w[string]{{"active", 84}, {"exited", 8}, {"moved", 8}},
	evening:  true,
	kit: func(l *loader) map[string]int {
		k := map[string]int{}
		if l.pct(80) {
			k["condom"] = 10 * l.between(1, 5)
		}
		if l.pct(40) {
			k["lubricant"] = l.between(2, 10)
		}
		if l.pct(30) {
			k["leaflet"] = l.between(1, 2)
		}
		return k
	},
	notes: []string{
		"Tư vấn sức khỏe sinh sản, phòng lây nhiễm HIV/STI",
		"Giới thiệu xét nghiệm HIV miễn phí",
		"Hẹn đi khám phụ khoa định kỳ",
		"Tư vấn phòng chống bạo lực trên cơ sở giới",
		"Tư vấn làm lại giấy tờ tùy thân",
		"Giới thiệu học nghề làm bánh",
		"Mời tham gia sinh hoạt nhóm tháng này",
		"Cho số đường dây nóng của nhóm",
	},
}

// drugUse is the profile of the self-help group of people who use drugs,
// people living with HIV and their families (seed 000).
var drugUse = &profile{
	topics: []string{"harm_reduction", "hiv_sti", "drug_harms", "health_insurance", "legal"},
	pops: []w[[]caunoi.Population]{
		{[]caunoi.Population{caunoi.PopDrugUse}, 38},
		{[]caunoi.Population{caunoi.PopDrugUse, caunoi.PopPLHIV}, 20},
		{[]caunoi.Population{caunoi.PopPostRehab}, 12},
		{[]caunoi.Population{caunoi.PopPostRehab, caunoi.PopPLHIV}, 8},
		{[]caunoi.Population{caunoi.PopPLHIV}, 7},
		{[]caunoi.Population{caunoi.PopFamily}, 10},
		{[]caunoi.Population{caunoi.PopDrugUse, caunoi.PopSexWork}, 5},
	},
	sexes:    []w[string]{{"male", 82}, {"female", 18}},
	born:     [2]int{1970, 2000},
	statuses: []w[string]{{"active", 84}, {"relapsed", 5}, {"moved", 5}, {"exited", 4}, {"deceased", 2}},
	kit: func(l *loader) map[string]int {
		k := map[string]int{}
		if l.pct(75) {
			k["needle"] = 5 * l.between(2, 8)
		}
		if l.pct(40) {
			k["condom"] = l.between(3, 10)
		}
		if l.pct(20) {
			k["leaflet"] = 1
		}
		return k
	},
	notes: []string{
		"Hỗ trợ duy trì điều trị Methadone",
		"Tư vấn phòng và xử trí sốc quá liều",
		"Hỗ trợ mua thẻ BHYT",
		"Nhắc uống thuốc ARV đúng giờ",
		"Hướng dẫn gia đình hỗ trợ cắt cơn tại nhà",
		"Chuyển gửi khám STI",
		"Chuyển gửi xét nghiệm viêm gan B, C",
	},
}

// reintegration is the profile of the clubs for people after
// rehabilitation and their families (seed 003).
var reintegration = &profile{
	topics: []string{"relapse_prevention", "livelihoods", "hiv_sti", "drug_harms", "legal"},
	pops: []w[[]caunoi.Population]{
		{[]caunoi.Population{caunoi.PopPostRehab}, 45},
		{[]caunoi.Population{caunoi.PopPostRehab, caunoi.PopDrugUse}, 20},
		{[]caunoi.Population{caunoi.PopPostRehab, caunoi.PopPLHIV}, 8},
		{[]caunoi.Population{caunoi.PopDrugUse}, 12},
		{[]caunoi.Population{caunoi.PopFamily}, 15},
	},
	sexes:    []w[string]{{"male", 88}, {"female", 12}},
	born:     [2]int{1970, 2003},
	statuses: []w[string]{{"active", 80}, {"relapsed", 10}, {"moved", 5}, {"exited", 4}, {"deceased", 1}},
	kit: func(l *loader) map[string]int {
		k := map[string]int{}
		if l.pct(50) {
			k["leaflet"] = l.between(1, 3)
		}
		if l.pct(20) {
			k["condom"] = l.between(3, 10)
		}
		if l.pct(5) {
			k["needle"] = 5 * l.between(1, 2)
		}
		return k
	},
	notes: []string{
		"Tư vấn phòng tái nghiện",
		"Thăm hỏi sau khi hồi gia",
		"Giới thiệu việc làm phụ hồ",
		"Giới thiệu học nghề",
		"Hướng dẫn làm hồ sơ vay vốn quỹ quay vòng",
		"Chuyển gửi xét nghiệm HIV và điều trị ARV",
		"Tư vấn cho gia đình về hỗ trợ tái hòa nhập",
	},
}

// activitySpec is a series of group activities from the seeds: count
// activities of a kind with participants in all, within the last year.
type activitySpec struct {
	kind, title  string
	count, total int
	topics       []string
}

// activities lists each group's activities, drawn from the seeds' figures.
var activities = map[string][]activitySpec{
	// Seed 000, Hải Phòng: 16 group meetings, 4 health check days for 50
	// women, 6 community communication sessions for 350 people.
	"hoaphuong": {
		{"group_meeting", "Sinh hoạt nhóm tháng", 10, 140, []string{"srh", "gbv", "rights"}},
		{"health_check", "Ngày khám sức khỏe định kỳ", 2, 26, []string{"srh", "hiv_sti"}},
		{"communication", "Truyền thông cộng đồng phòng chống bạo lực giới", 4, 232, []string{"gbv", "rights"}},
	},
	"catba": {
		{"group_meeting", "Sinh hoạt nhóm tháng", 6, 72, []string{"srh", "hiv_sti"}},
		{"health_check", "Ngày khám sức khỏe định kỳ", 2, 24, []string{"srh", "hiv_sti"}},
		{"communication", "Truyền thông cộng đồng phòng chống HIV", 2, 118, []string{"hiv_sti"}},
	},
	// Seed 001, Khánh Hòa: monthly group meetings with counselling.
	"songbien": {
		{"group_meeting", "Sinh hoạt nhóm: sức khỏe, pháp lý, việc làm", 12, 264, []string{"srh", "legal", "livelihoods"}},
		{"training", "Tập huấn kỹ năng đồng đẳng viên", 1, 7, []string{"hiv_sti", "rights"}},
	},
	// Seed 002, Quảng Ninh: workshops linking services and peer groups.
	"halong": {
		{"workshop", "Hội thảo kết nối dịch vụ trợ giúp xã hội", 2, 60, []string{"rights", "legal"}},
		{"communication", "Truyền thông pháp luật lao động tại cơ sở", 3, 75, []string{"rights"}},
	},
	// Seed 003, An Giang: 42 topic sessions with 1,056 participants and 6
	// large events with more than 2,000, across the club network.
	"mybinh": {
		{"communication", "Sinh hoạt chuyên đề phòng chống tái nghiện", 12, 302, []string{"relapse_prevention", "drug_harms"}},
		{"campaign", "Ngày hội truyền thông phòng chống ma túy", 2, 700, []string{"drug_harms", "hiv_sti"}},
	},
	"mylong": {
		{"communication", "Sinh hoạt chuyên đề sinh kế và việc làm", 10, 251, []string{"livelihoods"}},
		{"campaign", "Ngày hội truyền thông phòng chống ma túy", 2, 680, []string{"drug_harms"}},
	},
	"myxuyen": {
		{"communication", "Sinh hoạt chuyên đề HIV, viêm gan", 10, 252, []string{"hiv_sti"}},
		{"campaign", "Ngày hội gia đình hỗ trợ người sau cai nghiện", 1, 340, []string{"relapse_prevention"}},
	},
	"binhduc": {
		{"communication", "Sinh hoạt chuyên đề phòng chống bạo lực gia đình", 10, 251, []string{"gbv", "legal"}},
		{"campaign", "Ngày hội truyền thông phòng chống ma túy", 1, 320, []string{"drug_harms"}},
	},
}

// groups lists the groups that get clients and contacts.
var groups = []groupSpec{
	{
		org: "hoaphuong", profile: sexWork, clients: 50, contacts: 90,
		workers:   []string{"hoaphuong.dongdang", "hoaphuong.truongnhom"},
		residence: residenceHP, anonShare: 30,
		channels: []w[string]{{"in_person", 70}, {"phone", 15}, {"zalo", 15}},
		places: []string{"Karaoke Hoa Biển, Đồ Sơn", "Nhà nghỉ Sao Mai, Đồ Sơn", "Khách sạn Hải Yến, Đồ Sơn",
			"Massage Thiên Thanh, Đồ Sơn", "Bãi tắm Khu 2, Đồ Sơn", "Quán cà phê Gió Biển, Đồ Sơn"},
	},
	{
		org: "catba", profile: sexWork, clients: 35, contacts: 55,
		workers:   []string{"catba.dongdang"},
		residence: residenceHP, anonShare: 30,
		channels: []w[string]{{"in_person", 70}, {"phone", 10}, {"zalo", 20}},
		places: []string{"Nhà nghỉ Hải Âu, Cát Bà", "Quán bar Phố Núi, Cát Bà", "Karaoke Ngọc Trai, Cát Bà",
			"Khu bến Bèo, Cát Bà", "Khách sạn mini Đảo Ngọc, Cát Bà"},
	},
	{
		org: "vongtay", profile: drugUse, clients: 45, contacts: 80,
		workers:   []string{"vongtay.dongdang", "vongtay.congtacvien", "vongtay.truongnhom"},
		residence: residenceLocal, anonShare: 10,
		channels: []w[string]{{"in_person", 70}, {"phone", 25}, {"zalo", 5}},
		places: []string{"Trụ sở nhóm, phường Lê Chân", "Cơ sở điều trị Methadone Lê Chân", "Chợ Sắt, phường Hồng Bàng",
			"Tại nhà khách hàng, phường An Dương", "Gầm cầu Niệm, phường An Biên"},
	},
	{
		org: "songbien", profile: sexWork, clients: 70, contacts: 130,
		workers:   []string{"songbien.dongdang", "songbien.congtacvien", "songbien.truongnhom"},
		residence: residenceKH, anonShare: 25,
		channels: []w[string]{{"in_person", 75}, {"zalo", 15}, {"phone", 10}},
		places: []string{"Đường Trần Phú, Nha Trang", "Khách sạn mini Biển Xanh, Nha Trang", "Massage Hồng Ngọc, Nha Trang",
			"Công viên Phù Đổng, Nha Trang", "Karaoke Hải Đăng, Nha Trang", "Quán bar Sao Biển, Nha Trang"},
	},
	{
		org: "halong", profile: sexWork, clients: 45, contacts: 90,
		workers:   []string{"halong.dongdang", "halong.truongnhom"},
		residence: residenceQN, anonShare: 40,
		// Seed 002: the workers' rights model counselled via Zalo.
		channels: []w[string]{{"zalo", 65}, {"in_person", 30}, {"phone", 5}},
		places: []string{"Nhà nghỉ Hoàng Long, Bãi Cháy", "Karaoke Ánh Dương, Bãi Cháy", "Khách sạn Sóng Xanh, Bãi Cháy",
			"Massage Thảo Nguyên, Hạ Long", "Khu du lịch Tuần Châu"},
		notes: []string{"Tư vấn quyền của người lao động qua Zalo", "Tư vấn hợp đồng lao động với chủ cơ sở",
			"Chuyển gửi xét nghiệm HIV miễn phí", "Phát bao cao su cho cơ sở"},
	},
	{
		org: "uongbi", profile: sexWork, clients: 25, contacts: 40,
		workers:   []string{"uongbi.dongdang"},
		residence: residenceQN, anonShare: 30,
		channels: []w[string]{{"in_person", 60}, {"zalo", 25}, {"phone", 15}},
		places:   []string{"Karaoke Phương Nam, Uông Bí", "Nhà nghỉ Thanh Sơn, Uông Bí", "Quán cà phê Hoa Sữa, Uông Bí"},
	},
	{
		org: "campha", profile: sexWork, clients: 25, contacts: 40,
		workers:   []string{"campha.dongdang"},
		residence: residenceQN, anonShare: 30,
		channels: []w[string]{{"in_person", 60}, {"zalo", 25}, {"phone", 15}},
		places:   []string{"Quán cà phê Biển Đêm, Cẩm Phả", "Nhà nghỉ Mông Dương, Cẩm Phả", "Karaoke Vịnh Xanh, Cẩm Phả"},
	},
	{
		org: "honggai", profile: sexWork, clients: 10, contacts: 15,
		workers:   []string{"honggai.congtacvien"},
		residence: residenceQN, anonShare: 50,
		channels: []w[string]{{"in_person", 70}, {"phone", 30}},
		places:   []string{"Khu phố 3, phường Hồng Gai", "Chợ Hạ Long 1, phường Hồng Gai"},
	},
	{
		org: "mybinh", profile: reintegration, clients: 18, contacts: 30,
		workers:   []string{"mybinh.congtacvien", "mybinh.chunhiem"},
		residence: residenceLocal, anonShare: 5,
		channels: []w[string]{{"in_person", 80}, {"phone", 15}, {"zalo", 5}},
		places: []string{"Trụ sở CLB, phường Mỹ Bình", "Tại nhà, phường Mỹ Bình", "Trung tâm Cai nghiện ma túy tỉnh An Giang",
			"Cơ sở điều trị Methadone Long Xuyên"},
	},
	{
		org: "mylong", profile: reintegration, clients: 15, contacts: 25,
		workers:   []string{"mylong.dongdang"},
		residence: residenceLocal, anonShare: 5,
		channels: []w[string]{{"in_person", 80}, {"phone", 15}, {"zalo", 5}},
		places:   []string{"Nhà văn hóa phường Mỹ Long", "Tại nhà, phường Mỹ Long", "Trung tâm Cai nghiện ma túy tỉnh An Giang"},
	},
	{
		org: "myxuyen", profile: reintegration, clients: 15, contacts: 25,
		workers:   []string{"myxuyen.congtacvien"},
		residence: residenceLocal, anonShare: 5,
		channels: []w[string]{{"in_person", 80}, {"phone", 15}, {"zalo", 5}},
		places:   []string{"Trụ sở CLB, phường Mỹ Xuyên", "Tại nhà, phường Mỹ Xuyên", "Công trình xây dựng, phường Mỹ Xuyên"},
	},
	{
		org: "binhduc", profile: reintegration, clients: 12, contacts: 20,
		workers:   []string{"binhduc.chunhiem"},
		residence: residenceLocal, anonShare: 5,
		channels: []w[string]{{"in_person", 80}, {"phone", 15}, {"zalo", 5}},
		places:   []string{"Nhà văn hóa phường Bình Đức", "Tại nhà, phường Bình Đức", "Bến phà Bình Đức"},
	},
}

// Street nicknames, the way clients are known to their peers.
var (
	nicknamesFemale = []string{"Hoa", "Lan Anh", "Cúc", "Mai", "Hồng", "Bé Ba", "Thúy", "Ngọc", "Linh", "Trang",
		"Hằng", "Nhung", "My", "Thảo", "Vy", "Bé Út", "Chị Tư", "Hương", "Loan", "Phượng", "Diễm", "Kiều", "Yến",
		"Xuân", "Bích", "Trinh", "Na", "Bông", "Mận", "Đào", "Hạnh", "Quyên", "Tuyết", "Ly", "Bé Năm", "Sương"}
	nicknamesMale = []string{"Tuấn", "Hùng", "Tí", "Tèo", "Cu Bin", "Long", "Dũng", "Hải", "Bảo", "Sơn", "Khánh",
		"Hoàng", "Tư Mập", "Ba Râu", "Năm Lùn", "Sáu", "Tâm", "Phúc", "Tài", "Lộc", "Minh", "Quang", "Thắng", "Vũ",
		"Đen", "Bình", "Tùng Còi", "Hai Lúa", "Út Lì", "Bảy Sẹo"}
	// Family members go by kinship names.
	nicknamesFamilyFemale = []string{"Cô Bảy", "Chị Hai", "Mẹ Tuấn", "Dì Tám", "Chị Sáu", "Bà Năm", "Cô Hiền", "Mẹ Bin"}
	nicknamesFamilyMale   = []string{"Bác Hòa", "Chú Ba", "Anh Cả", "Ông Tư"}
)

// uicParts are the two-letter starts of common given names that make up
// a UIC: the mother's, then the father's, then the birth year and sex.
var uicParts = []string{"HO", "LA", "MA", "TH", "NG", "HU", "TU", "HA", "LI", "PH", "DU", "QU", "TR", "BI", "CU",
	"KH", "VA", "SO", "TA", "MI", "LO", "HI", "NH", "XU"}
