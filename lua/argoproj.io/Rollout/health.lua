-- Argo Rollouts Rollout: health from the controller's status (Rollouts >= 1.0 reports status.phase).
-- Works with and without useOpenLibs (no string/math/os functions).
local hs = {}
if obj.status == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the rollout controller to report status"
  return hs
end
-- status.observedGeneration is a string in the Rollout CRD; compare texts.
local generation = obj.metadata.generation
if generation ~= nil and tostring(obj.status.observedGeneration) ~= tostring(generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for rollout spec update to be observed"
  return hs
end
if obj.spec ~= nil and obj.spec.paused == true then
  hs.status = "Suspended"
  hs.message = "Rollout is paused"
  return hs
end
if obj.status.abort == true then
  hs.status = "Degraded"
  hs.message = obj.status.message or "Rollout is aborted"
  return hs
end
local phase = obj.status.phase
if phase == "Paused" then
  hs.status = "Suspended"
elseif phase == "Healthy" or phase == "Progressing" or phase == "Degraded" then
  hs.status = phase
else
  hs.status = "Progressing"
end
hs.message = obj.status.message or ""
return hs
