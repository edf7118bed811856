# tools/hv.mk: the hv platform's host side. tools/run_hv.c goes into `hako`
# (see tools.mk); hako-hv-run is the same runner as a standalone program.
ALL += $(BUILD)/bin/hako-hv-run
DEPS_FILES += $(BUILD)/host/tools/run_hv-main.d

$(BUILD)/host/tools/run_hv-main.o: tools/run_hv.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -DHAKO_HV_RUN_MAIN -c $< -o $@

$(BUILD)/bin/hako-hv-run: $(BUILD)/host/tools/run_hv-main.o $(LIB_OBJS)
	$(call msg,LD,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOSTCC) -o $@ $^
