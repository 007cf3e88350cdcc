/** The InfluxDB datasource every panel uses; its uid is fixed by dashboards/provisioning/datasources/influxdb.yaml. */
export const datasourceUid = 'agent-sla-influxdb';
export const datasourceRef = { type: 'influxdb', uid: datasourceUid };
