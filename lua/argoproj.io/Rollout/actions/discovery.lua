-- pause / resume, each enabled only when it would change something.
local actions = {}
local paused = obj.spec ~= nil and obj.spec.paused == true
actions["pause"] = {["disabled"] = paused, ["iconClass"] = "fa fa-fw fa-pause-circle"}
actions["resume"] = {["disabled"] = not paused, ["iconClass"] = "fa fa-fw fa-play-circle"}
return actions
