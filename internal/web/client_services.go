package web

import (
	"context"
	"time"

	"caunoi"
)

// clientServicesData is the part of a client's page about services and
// referrals: the latest of each, and whether the user may record them.
type clientServicesData struct {
	Services      []*caunoi.Service
	ServiceTotal  int
	Referrals     []*caunoi.Referral
	ReferralTotal int
	CanWrite      bool
	Today         time.Time // for the overdue mark
}

// clientServicesShown bounds the services and referrals a client's page lists.
const clientServicesShown = 20

// clientServices reads the latest services and referrals of a client.
func (s *Server) clientServices(ctx context.Context, c *caunoi.Client) (*clientServicesData, error) {
	d := &clientServicesData{Today: caunoi.Today(), CanWrite: !c.Voided() && caunoi.ActorFromContext(ctx).CanAt(caunoi.PermServiceWrite, c.OrgPath)}
	var err error
	if d.Services, d.ServiceTotal, err = s.Services.FindServices(ctx, caunoi.ServiceFilter{ClientID: c.ID, Page: caunoi.Page{Limit: clientServicesShown}}); err != nil {
		return nil, err
	}
	if d.Referrals, d.ReferralTotal, err = s.Referrals.FindReferrals(ctx, caunoi.ReferralFilter{ClientID: c.ID, Page: caunoi.Page{Limit: clientServicesShown}}); err != nil {
		return nil, err
	}
	return d, nil
}
