-- External Secrets Operator ExternalSecret: the Ready condition; a refresh error keeps the old Secret,
-- so it is Degraded with the controller's reason and message.
local hs = {status = "Progressing", message = "Waiting for the Secret to be synced"}
if obj.status == nil or obj.status.conditions == nil then
  return hs
end
for _, c in ipairs(obj.status.conditions) do
  if c.type == "Ready" then
    if c.status == "True" then
      hs.status = "Healthy"
    elseif c.status == "False" then
      hs.status = "Degraded"
    end
    if c.reason ~= nil and c.message ~= nil then
      hs.message = c.reason .. ": " .. c.message
    else
      hs.message = c.message or c.reason or ""
    end
    return hs
  end
end
return hs
