-- Generic health from .status.conditions, following the Kubernetes API conventions:
--   generation not yet observed       -> Progressing
--   Stalled=True                       -> Degraded
--   Reconciling=True                   -> Progressing
--   Ready / Available / Succeeded      -> True: Healthy, False: Degraded, else Progressing
--   anything else                      -> Progressing
-- Install it for a CRD with a key such as resource.customizations.health.example.com_Widget.
local hs = {status = "Progressing", message = "Waiting for status"}
if obj.status == nil then
  return hs
end
local generation = obj.metadata ~= nil and obj.metadata.generation or nil
local observed = obj.status.observedGeneration
if type(generation) == "number" and type(observed) == "number" and observed < generation then
  hs.message = "Waiting for the controller to observe generation " .. tostring(generation)
  return hs
end
local conditions = {}
for _, c in ipairs(obj.status.conditions or {}) do
  if c.type ~= nil then
    conditions[c.type] = c
  end
end
local function message(c, default)
  if c.message ~= nil and c.message ~= "" then
    return c.message
  end
  return default
end
local stalled = conditions["Stalled"]
if stalled ~= nil and stalled.status == "True" then
  return {status = "Degraded", message = message(stalled, "Stalled")}
end
local reconciling = conditions["Reconciling"]
if reconciling ~= nil and reconciling.status == "True" then
  return {status = "Progressing", message = message(reconciling, "Reconciling")}
end
for _, t in ipairs({"Ready", "Available", "Succeeded"}) do
  local c = conditions[t]
  if c ~= nil then
    if c.status == "True" then
      return {status = "Healthy", message = message(c, t)}
    elseif c.status == "False" then
      return {status = "Degraded", message = message(c, "Not " .. t)}
    end
    return {status = "Progressing", message = message(c, t .. " is " .. tostring(c.status))}
  end
end
return hs
