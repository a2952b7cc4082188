package main

import (
	"context"

	"github.com/toolgate/toolgate/coordinator"
	"github.com/toolgate/toolgate/internal/config"
	"github.com/toolgate/toolgate/internal/httpapi"
	"github.com/toolgate/toolgate/internal/metrics"
	"github.com/toolgate/toolgate/limits"
)

// serveLimiter builds the rate limiter: in memory, or Redis when
// redis.url is set (with a readiness check that pings it).
func serveLimiter(svc *service, cfg config.Config, m *metrics.Metrics) (coordinator.Limiter, httpapi.ReadyCheck, error) {
	if cfg.Redis.URL == "" {
		mem := limits.NewMemory()
		svc.closers = append(svc.closers, func() { _ = mem.Close() })
		return mem, nil, nil
	}
	client, err := limits.DialRedis(cfg.Redis.URL, cfg.Redis.Timeout)
	if err != nil {
		return nil, nil, exitWith(exitUsage, err)
	}
	svc.closers = append(svc.closers, func() { _ = client.Close() })
	r, err := limits.NewRedis(client,
		limits.WithOutageMode(limits.OutageMode(cfg.Redis.OnOutage)),
		limits.WithKeyPrefix(cfg.Redis.KeyPrefix),
		limits.WithRedisEvents(limits.RedisEvents{
			Error: func(err error) {
				m.RedisError()
				svc.log.Error().Err(err).Str("on_outage", cfg.Redis.OnOutage).Msg("redis rate limiter failed")
			},
			Fallback: func() { m.RedisOutage("local_fallback") },
			Refused:  func() { m.RedisOutage("refused") },
		}))
	if err != nil {
		return nil, nil, exitWith(exitUsage, err)
	}
	svc.closers = append(svc.closers, func() { _ = r.Close() })
	mode := "on_outage " + cfg.Redis.OnOutage
	return r, func(ctx context.Context) (string, error) { return mode, r.Ping(ctx) }, nil
}
