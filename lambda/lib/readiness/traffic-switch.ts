import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { type ReadinessCheck, result } from './deps';

/**
 * `traffic-switch`: the switch alarm in the standby region is where it rests while the primary
 * serves. OK, or INSUFFICIENT_DATA (a switch never flipped since it was created: its alarm treats
 * missing data as "ignore", and the health check keeps its last known status, healthy). ALARM means
 * a failover is in effect (an operator, a drill that did not fail back, or a playbook forced
 * traffic to the standby): the standby already serves, and failing over again is not possible.
 */
export const trafficSwitch: ReadinessCheck = async (deps) => {
  const { alarmName } = deps.deployment.trafficSwitch;
  const out = await deps.cloudwatch.standby.send(new DescribeAlarmsCommand({ AlarmNames: [alarmName] }));
  const alarm = out.MetricAlarms?.find((a) => a.AlarmName === alarmName);
  if (!alarm) {
    return result(
      'traffic-switch',
      false,
      `the switch alarm ${alarmName} does not exist in ${deps.deployment.trafficSwitch.region}`,
      {
        alarmName,
      },
    );
  }
  const details = { alarmName, state: alarm.StateValue, since: alarm.StateUpdatedTimestamp?.toISOString() };
  if (alarm.StateValue === 'ALARM') {
    return result(
      'traffic-switch',
      false,
      `the switch ${alarmName} is in ALARM: traffic is forced to the standby (a failover is in effect); fail back when the primary is ready`,
      details,
    );
  }
  return result('traffic-switch', true, `the switch ${alarmName} is ${alarm.StateValue}: the primary serves`, details);
};
