-- bench/mixed.lua: wrk script for bench/soak, a mix of reads and writes
-- spread over the sessions of STINT_SESSIONS (space-separated ids; a coach's
-- tablet tags one session, not all of them the same one): 50% GET session,
-- 25% GET events (filtered), 15% POST a batch of 5 events, 10% PATCH the
-- session. Env: STINT_TOKEN, STINT_SESSIONS.
local token = os.getenv("STINT_TOKEN")
local sessions = {}
for id in string.gmatch(os.getenv("STINT_SESSIONS"), "%S+") do
	sessions[#sessions + 1] = id
end
local n = 0

local function batch()
	local parts = {}
	for i = 1, 5 do
		parts[i] = string.format('{"t_sec":%d,"event_type":"pass","actor_team":"A","actor_number":%d,'
			.. '"payload":{"evaluation":"+"}}', n * 5 + i, (n + i) % 12 + 1)
	end
	return '{"events":[' .. table.concat(parts, ",") .. ']}'
end

request = function()
	n = n + 1
	local k = n % 20
	local sid = sessions[(n * 7919) % #sessions + 1]
	local h = { ["Authorization"] = "Bearer " .. token }
	if k < 10 then
		return wrk.format("GET", "/api/v1/sessions/" .. sid, h)
	elseif k < 15 then
		return wrk.format("GET", "/api/v1/sessions/" .. sid .. "/events?type=pass&team=A&limit=20", h)
	end
	h["Content-Type"] = "application/json"
	if k < 18 then
		return wrk.format("POST", "/api/v1/sessions/" .. sid .. "/events", h, batch())
	end
	return wrk.format("PATCH", "/api/v1/sessions/" .. sid, h, string.format('{"venue":"Hall %d"}', n))
end

local errors = 0
response = function(status)
	if status >= 400 then
		errors = errors + 1
	end
end
