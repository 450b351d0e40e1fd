package web

import (
	"net/http"
	"time"

	"caunoi"
	"caunoi/internal/xlsx"
)

// Exports of the directory, the services and the referrals as .xlsx or
// CSV, with the lists' filters, through sendExport like the other lists.
// They name clients by nickname and UIC only, as the lists do.

// serviceTrade names a service's trade or job type in Vietnamese.
func serviceTrade(vi fwValues, s *caunoi.Service) string {
	if s.Kind == caunoi.ServiceJobPlacement {
		return vi.one("job_type.", s.Trade)
	}
	return vi.one("trade.", s.Trade)
}

// providerExport exports the directory of the list's filter.
func (s *Server) providerExport(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	f := providerFilter(r.URL.Query())
	rows := &fwRows[*caunoi.Provider]{fetch: func(pg caunoi.Page) ([]*caunoi.Provider, int, error) {
		f.Page = pg
		return s.Providers.FindProviders(ctx, f)
	}}
	if err := rows.prime(); err != nil {
		s.fail(w, r, err)
		return
	}
	unitName := s.unitNames(ctx)
	vi := fwValues{s.Cat.For("vi")}
	sheet := xlsx.Sheet{Name: "Cơ sở dịch vụ", Columns: []xlsx.Column{
		{Key: "name", Header: "Tên", Width: 34},
		{Key: "kind", Header: "Loại cơ sở", Width: 24},
		{Key: "services", Header: "Dịch vụ cung cấp", Width: 40},
		{Key: "address", Header: "Địa chỉ", Width: 30},
		{Key: "admin_unit", Header: "Địa bàn", Width: 20},
		{Key: "lat", Header: "Vĩ độ", Number: true},
		{Key: "lng", Header: "Kinh độ", Number: true},
		{Key: "contact", Header: "Liên hệ", Width: 24},
		{Key: "opening_hours", Header: "Giờ làm việc", Width: 24},
		{Key: "friendly", Header: "Thân thiện", Width: 10},
		{Key: "notes", Header: "Ghi chú", Width: 30},
		{Key: "org", Header: "Đơn vị quản lý", Width: 30},
	}}
	s.sendExport(w, r, "co-so-dich-vu", sheet, func() ([]any, bool, error) {
		p, ok, err := rows.next()
		if !ok || err != nil {
			return nil, ok, err
		}
		friendly := "Không"
		if p.Friendly {
			friendly = "Có"
		}
		return []any{p.Name, vi.one("provider_kind.", p.Kind), vi.list("service_kind.", p.Services), p.Address, unitName(p.AdminUnitCode),
			coordCell(p.Lat), coordCell(p.Lng), p.Contact, p.OpeningHours, friendly, p.Notes, p.OrgName}, true, nil
	})
}

// serviceExport exports the services of the list's filter: one row each,
// with the columns the monitoring counts.
func (s *Server) serviceExport(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	orgs, err := s.fwOrgs(ctx, caunoi.PermClientRead)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	names := fwOrgNames(orgs)
	f, err := serviceFilter(r.URL.Query())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows := &fwRows[*caunoi.Service]{fetch: func(pg caunoi.Page) ([]*caunoi.Service, int, error) {
		f.Page = pg
		return s.Services.FindServices(ctx, f)
	}}
	if err := rows.prime(); err != nil {
		s.fail(w, r, err)
		return
	}
	vi := fwValues{s.Cat.For("vi")}
	sheet := xlsx.Sheet{Name: "Dịch vụ", Columns: []xlsx.Column{
		{Key: "given_on", Header: "Ngày", Date: true},
		{Key: "client", Header: "Khách hàng (tên gọi)", Width: 20},
		{Key: "uic", Header: "Mã UIC", Width: 14},
		{Key: "kind", Header: "Dịch vụ", Width: 28},
		{Key: "detail", Header: "Chi tiết", Width: 22},
		{Key: "result", Header: "Kết quả", Width: 18},
		{Key: "trade", Header: "Nghề / việc làm", Width: 20},
		{Key: "quantity", Header: "Số lượng", Number: true},
		{Key: "amount_vnd", Header: "Số tiền (đồng)", Number: true, Width: 16},
		{Key: "provider", Header: "Cơ sở dịch vụ", Width: 30},
		{Key: "referral", Header: "Qua chuyển gửi", Width: 10},
		{Key: "notes", Header: "Ghi chú", Width: 30},
		orgColumn,
	}}
	s.sendExport(w, r, "dich-vu", sheet, func() ([]any, bool, error) {
		sv, ok, err := rows.next()
		if !ok || err != nil {
			return nil, ok, err
		}
		var qty, amount any
		if sv.Quantity > 0 {
			qty = sv.Quantity
		}
		if sv.AmountVND > 0 {
			amount = sv.AmountVND
		}
		referred := ""
		if sv.ReferralID != "" {
			referred = "Có"
		}
		return []any{time.Time(sv.GivenOn), sv.ClientNickname, sv.ClientUIC, vi.one("service_kind.", sv.Kind), vi.one("service_detail.", sv.Detail),
			vi.one("service_result.", sv.Result), serviceTrade(vi, sv), qty, amount, sv.ProviderName, referred, sv.Notes, names[sv.OrgID]}, true, nil
	})
}

// referralExport exports the referrals of the list's filter (the overdue
// ones with overdue=1).
func (s *Server) referralExport(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	orgs, err := s.fwOrgs(ctx, caunoi.PermClientRead)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	names := fwOrgNames(orgs)
	f, err := referralFilter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows := &fwRows[*caunoi.Referral]{fetch: func(pg caunoi.Page) ([]*caunoi.Referral, int, error) {
		f.Page = pg
		return s.Referrals.FindReferrals(ctx, f)
	}}
	if err := rows.prime(); err != nil {
		s.fail(w, r, err)
		return
	}
	today := caunoi.Today()
	vi := fwValues{s.Cat.For("vi")}
	sheet := xlsx.Sheet{Name: "Chuyển gửi", Columns: []xlsx.Column{
		{Key: "code", Header: "Mã phiếu", Width: 18},
		{Key: "referred_on", Header: "Ngày chuyển gửi", Date: true},
		{Key: "due_on", Header: "Hạn", Date: true},
		{Key: "client", Header: "Khách hàng (tên gọi)", Width: 20},
		{Key: "uic", Header: "Mã UIC", Width: 14},
		{Key: "service_kind", Header: "Dịch vụ", Width: 28},
		{Key: "provider", Header: "Cơ sở dịch vụ", Width: 30},
		{Key: "status", Header: "Trạng thái", Width: 16},
		{Key: "overdue", Header: "Quá hạn", Width: 10},
		{Key: "closed_on", Header: "Ngày kết quả", Date: true},
		{Key: "reason", Header: "Lý do chuyển gửi", Width: 30},
		{Key: "outcome", Header: "Ghi chú kết quả", Width: 30},
		orgColumn,
	}}
	s.sendExport(w, r, "chuyen-gui", sheet, func() ([]any, bool, error) {
		ref, ok, err := rows.next()
		if !ok || err != nil {
			return nil, ok, err
		}
		var closed any
		if ref.ClosedOn != nil {
			closed = time.Time(*ref.ClosedOn)
		}
		overdue := ""
		if ref.Overdue(today) {
			overdue = "Có"
		}
		return []any{ref.Code, time.Time(ref.ReferredOn), time.Time(ref.DueOn), ref.ClientNickname, ref.ClientUIC,
			vi.one("service_kind.", ref.ServiceKind), ref.ProviderName, vi.one("referral_status.", ref.Status), overdue, closed,
			ref.Reason, ref.Outcome, names[ref.OrgID]}, true, nil
	})
}
