package caunoi

import "slices"

// The types of gender-based violence as the GBV Information Management
// System (GBVIMS) classifies them, in its classification order: an
// incident that involves several types is classified as the first of them
// in this order.
const (
	GBVRape               = "rape"                // hiếp dâm
	GBVSexualAssault      = "sexual_assault"      // tấn công tình dục (không phải hiếp dâm)
	GBVPhysicalAssault    = "physical_assault"    // hành hung thân thể
	GBVForcedMarriage     = "forced_marriage"     // cưỡng ép kết hôn
	GBVDenialOfResources  = "denial_of_resources" // từ chối nguồn lực, cơ hội hoặc dịch vụ
	GBVPsychologicalAbuse = "psychological_abuse" // bạo lực tâm lý, tinh thần
)

// GBVTypes lists the GBVIMS types in classification order.
var GBVTypes = []string{GBVRape, GBVSexualAssault, GBVPhysicalAssault, GBVForcedMarriage, GBVDenialOfResources, GBVPsychologicalAbuse}

// ViolenceContexts are the contexts of an incident of violence (who, where,
// in which relation), recorded apart from its type as GBVIMS does: the
// type says what happened, the context in which circumstances.
var ViolenceContexts = []string{
	"intimate_partner",  // bạo lực do chồng, bạn tình
	"domestic_violence", // bạo hành gia đình
	"by_client",         // do khách mua dâm
	"by_employer",       // do chủ cơ sở, người sử dụng lao động
	"by_police",         // do công an, lực lượng chức năng
	"during_sex_work",   // trong khi bán dâm
	"trafficking",       // mua bán người
	"other",
}

// ClassifyGBV returns the GBVIMS type an incident involving the given
// types is classified as: the first of them in the order of GBVTypes,
// whatever order they are listed in. An empty list is EINVALID
// (err.case.gbv_type_required), and so is an unknown type
// (err.case.gbv_type_unknown): nothing is classified from a list it
// cannot read whole. The field named is violence_types.
func ClassifyGBV(types []string) (string, error) {
	if len(types) == 0 {
		return "", Invalid(FieldError{Field: "violence_types", Key: "err.case.gbv_type_required"})
	}
	first := len(GBVTypes)
	for _, t := range types {
		i := slices.Index(GBVTypes, t)
		if i < 0 {
			return "", Invalid(FieldError{Field: "violence_types", Key: "err.case.gbv_type_unknown", Args: map[string]any{"Type": t}})
		}
		first = min(first, i)
	}
	return GBVTypes[first], nil
}
