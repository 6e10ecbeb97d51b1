-- KEDA ScaledObject: Paused=True is Suspended; otherwise the Ready condition.
local hs = {status = "Progressing", message = "Waiting for KEDA to set up scaling"}
if obj.status == nil or obj.status.conditions == nil then
  return hs
end
local ready = nil
for _, c in ipairs(obj.status.conditions) do
  if c.type == "Paused" and c.status == "True" then
    return {status = "Suspended", message = c.message or "ScaledObject is paused"}
  end
  if c.type == "Ready" then
    ready = c
  end
end
if ready ~= nil then
  if ready.status == "True" then
    hs.status = "Healthy"
  elseif ready.status == "False" then
    hs.status = "Degraded"
  end
  hs.message = ready.message or ""
end
return hs
